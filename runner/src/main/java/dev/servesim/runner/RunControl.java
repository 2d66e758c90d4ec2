package dev.servesim.runner;

import dev.servesim.core.Simulation;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Lets another thread stop a run (the command line's Ctrl-C handler). The run then stops before its next event and
 * still writes the results gathered so far, marked partial.
 */
public final class RunControl {

    private volatile Simulation simulation;
    private volatile boolean stopRequested;
    private volatile String stopReason = INTERRUPTED;
    private volatile RunProgress progress = RunProgress.NOT_STARTED;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Consumer<RunResult> hold;

    /** A control with no stop requested and no hold. */
    public RunControl() {}

    /** The stop reason of a run stopped by {@link #requestStop()}. */
    public static final String INTERRUPTED = "interrupted";

    /** Asks the run to stop; safe from any thread, before or during the run. Its stop reason reads "interrupted". */
    public void requestStop() {
        requestStop(INTERRUPTED);
    }

    /**
     * Asks the run to stop, giving the reason its summary reports (e.g. "request limit"); safe from any thread. The
     * first reason given stays.
     */
    public void requestStop(String reason) {
        Objects.requireNonNull(reason, "reason is null");
        synchronized (this) {
            if (!stopRequested) {
                stopReason = reason;
            }
        }
        stopRequested = true;
        stopped.countDown();
        Simulation running = simulation;
        if (running != null) {
            running.requestStop();
        }
    }

    /** True once a stop was requested. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Why the run was asked to stop ("interrupted" unless {@link #requestStop(String)} said otherwise). */
    public String stopReason() {
        return stopReason;
    }

    /**
     * Keep the run's sinks open after the run until a stop is requested (so a final scrape of a live endpoint sees
     * the totals). {@code beforeHold} gets the result as soon as it is written, before the hold starts. Set before
     * the run starts.
     */
    public void holdAfterRun(Consumer<RunResult> beforeHold) {
        hold = Objects.requireNonNull(beforeHold, "beforeHold is null");
    }

    /** If holding was asked for: hands over the result, then blocks until a stop is requested. */
    void awaitStopIfHolding(RunResult result) {
        Consumer<RunResult> beforeHold = hold;
        if (beforeHold == null) {
            return;
        }
        beforeHold.accept(result);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The latest progress the run published (about once per {@code snapshot_interval} of simulated time). */
    public RunProgress progress() {
        return progress;
    }

    /** Called by the simulation thread. */
    public void publish(RunProgress latest) {
        progress = latest;
    }

    void attach(Simulation running) {
        simulation = running;
        if (stopRequested) {
            running.requestStop();
        }
    }
}
