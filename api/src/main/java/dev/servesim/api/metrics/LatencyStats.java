package dev.servesim.api.metrics;

/**
 * Distribution of one latency over the requests of a run, in milliseconds. Percentiles are exact, with linear
 * interpolation between closest ranks (numpy's default). All {@code NaN} when there is no sample.
 *
 * @param count number of samples
 */
public record LatencyStats(long count, double mean, double p50, double p90, double p95, double p99, double max) {

    /** No samples. */
    public static final LatencyStats EMPTY =
            new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
