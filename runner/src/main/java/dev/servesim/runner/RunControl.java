package dev.servesim.runner;

import dev.servesim.core.Simulation;

/**
 * Lets another thread stop a run (the command line's Ctrl-C handler). The run then stops before its next event and
 * still writes the results gathered so far, marked partial.
 */
public final class RunControl {

    private volatile Simulation simulation;
    private volatile boolean stopRequested;

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

    void attach(Simulation running) {
        simulation = running;
        if (stopRequested) {
            running.requestStop();
        }
    }
}
