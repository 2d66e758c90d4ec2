package dev.servesim.loadgen;

import dev.servesim.runner.LiveArrivals;

/**
 * The run's thread as seen from the HTTP client's threads: news from the server is posted to it, to happen at the
 * simulated (= wall-clock) time it arrived, and the run does not end while an exchange holds it.
 */
interface RunThread {

    /** Runs {@code action} on the run's thread, after everything posted before it. Any thread. */
    void post(Runnable action);

    /** An exchange with the server started: the run keeps going until it is {@link #release() released}. */
    void hold();

    /** Ends a {@link #hold()}. */
    void release();

    /** The run of {@code arrivals} ({@link dev.servesim.runner.SimulationRunner#serve}). */
    static RunThread of(LiveArrivals arrivals) {
        return new RunThread() {
            @Override
            public void post(Runnable action) {
                arrivals.post(action);
            }

            @Override
            public void hold() {
                arrivals.hold();
            }

            @Override
            public void release() {
                arrivals.release();
            }
        };
    }
}
