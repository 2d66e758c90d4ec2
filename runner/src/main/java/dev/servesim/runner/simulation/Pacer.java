package dev.servesim.runner.simulation;

import dev.servesim.core.Simulation;
import java.util.concurrent.locks.LockSupport;

/**
 * Holds simulated time to {@code pace} simulated seconds per wall-clock second ({@code --pace}), so live dashboards
 * show the simulated system as if it ran for real. A daemon event every {@value #TICK_WALL_SECONDS} wall seconds of
 * simulated time waits until the wall clock has caught up; waiting never changes results, only when they appear.
 */
final class Pacer {

    static final double TICK_WALL_SECONDS = 0.02;

    private final Simulation simulation;
    private final double pace;
    private final long wallStartNanos;

    Pacer(Simulation simulation, double pace, long wallStartNanos) {
        this.simulation = simulation;
        this.pace = pace;
        this.wallStartNanos = wallStartNanos;
    }

    void start() {
        simulation.scheduleDaemon(0, this::tick);
    }

    private void tick() {
        long target = wallStartNanos + (long) (simulation.now() / pace * 1e9);
        long wait = target - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        simulation.scheduleDaemon(TICK_WALL_SECONDS * pace, this::tick);
    }
}
