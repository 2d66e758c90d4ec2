package dev.servesim.runner.simulation;

import dev.servesim.core.Simulation;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The run's periodic daemon actions (load snapshots for the sinks, load reports for the router), on the grid
 * {@code k * interval}. They pause while the run is idle - nothing in flight - and resume at the first grid point
 * after the next arrival: simulated time with nothing to observe costs no events, so an arrival hours (or years)
 * after the previous one costs no wall time. The tick that finds the run idle still runs, so what it observed (an
 * empty system) stays the latest view until the next arrival.
 */
final class PeriodicTicks {

    private final Simulation simulation;
    private final List<Ticker> tickers = new ArrayList<>();

    @Inject
    PeriodicTicks(Simulation simulation) {
        this.simulation = simulation;
    }

    /**
     * Runs {@code action} at time 0 and every {@code interval} seconds while {@code busy} says the run is not idle.
     */
    void every(double interval, Runnable action, BooleanSupplier busy) {
        Ticker ticker = new Ticker(interval, action, busy);
        tickers.add(ticker);
        ticker.scheduleAt(0);
    }

    /** A request arrived: paused tickers resume at their next grid point (now, if now is one). */
    void arrived() {
        for (Ticker ticker : tickers) {
            if (ticker.paused) {
                ticker.paused = false;
                ticker.scheduleAt(Math.ceil(simulation.now() / ticker.interval));
            }
        }
    }

    private final class Ticker {
        final double interval;
        final Runnable action;
        final BooleanSupplier busy;
        boolean paused;
        double index;

        Ticker(double interval, Runnable action, BooleanSupplier busy) {
            this.interval = interval;
            this.action = action;
            this.busy = busy;
        }

        void scheduleAt(double gridIndex) {
            index = gridIndex;
            // a multiple of the interval, not a running sum, so rounding errors do not accumulate
            simulation.scheduleDaemonAt(Math.max(simulation.now(), index * interval), this::tick);
        }

        private void tick() {
            action.run();
            if (busy.getAsBoolean()) {
                scheduleAt(index + 1);
            } else {
                paused = true;
            }
        }
    }
}
