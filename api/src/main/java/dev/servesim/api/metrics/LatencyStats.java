package dev.servesim.api.metrics;

/**
 * Distribution of one latency, in milliseconds. The mean and max are exact; percentiles are exact (linear
 * interpolation between closest ranks, numpy's default) unless the summary's {@code percentiles} field says
 * otherwise. All {@code NaN} when there is no sample.
 *
 * @param count number of samples
 */
public record LatencyStats(long count, double mean, double p50, double p90, double p95, double p99, double max) {

    /** No samples. */
    public static final LatencyStats EMPTY =
            new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
