package dev.servesim.runner;

import dev.servesim.core.Simulation;

/**
 * Lets another thread stop a run (the command line's Ctrl-C handler). The run then stops before its next event and
 * still writes the results gathered so far, marked partial.
 */
public final class RunControl {

    private volatile Simulation simulation;
    private volatile boolean stopRequested;
    private volatile RunProgress progress = RunProgress.NOT_STARTED;

    /** Asks the run to stop; safe from any thread, before or during the run. */
    public void requestStop() {
        stopRequested = true;
        Simulation running = simulation;
        if (running != null) {
            running.requestStop();
        }
    }

    /** True once a stop was requested. */
    public boolean stopRequested() {
        return stopRequested;
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
