package dev.servesim.runner;

/**
 * How far a run has got, published by the simulation thread for progress displays on other threads.
 *
 * @param simulatedSeconds simulated time reached
 * @param horizonSeconds the configured horizon, or NaN when the run lasts until the workload is drained
 * @param arrived requests that arrived
 * @param done requests that completed or were rejected
 * @param events simulation events run
 */
public record RunProgress(double simulatedSeconds, double horizonSeconds, long arrived, long done, long events) {

    /** Before the run starts. */
    public static final RunProgress NOT_STARTED = new RunProgress(0, Double.NaN, 0, 0, 0);
}
