package dev.servesim.runner.stats;

import dev.servesim.api.metrics.LatencyStats;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * Distribution of one latency (recorded in seconds, reported in milliseconds) in bounded memory: every sample is
 * kept until {@code exactLimit} samples, so percentiles are exact (linear interpolation between closest ranks, as
 * numpy's default); past that the samples move into an HdrHistogram of nanoseconds with {@value #SIGNIFICANT_DIGITS}
 * significant digits (relative error at most 0.1%). Mean, count and max are always exact.
 */
public final class LatencyDigest {

    /** Precision of the histogram used past the exact limit. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final int exactLimit;
    private double[] samples = new double[64];
    private long count;
    private double sum;
    private double max = Double.NaN;
    private Histogram histogram;

    public LatencyDigest(int exactLimit) {
        if (exactLimit < 1) {
            throw new IllegalArgumentException("exactLimit must be positive, got " + exactLimit);
        }
        this.exactLimit = exactLimit;
    }

    /** Records one sample, in seconds; NaN is ignored. */
    public void add(double seconds) {
        if (Double.isNaN(seconds)) {
            return;
        }
        count++;
        sum += seconds;
        if (Double.isNaN(max) || seconds > max) {
            max = seconds;
        }
        if (histogram != null) {
            histogram.recordValue(nanos(seconds));
            return;
        }
        if (count > exactLimit) {
            histogram = new Histogram(SIGNIFICANT_DIGITS);
            for (int i = 0; i < count - 1; i++) {
                histogram.recordValue(nanos(samples[i]));
            }
            histogram.recordValue(nanos(seconds));
            samples = null;
            return;
        }
        int index = (int) (count - 1);
        if (index == samples.length) {
            samples = Arrays.copyOf(samples, Math.min(exactLimit, samples.length * 2));
        }
        samples[index] = seconds;
    }

    private static long nanos(double seconds) {
        return Math.max(0, Math.round(seconds * 1e9));
    }

    public long count() {
        return count;
    }

    /** True while every sample is kept. */
    public boolean exact() {
        return histogram == null;
    }

    /** The distribution in milliseconds. */
    public LatencyStats millis() {
        if (count == 0) {
            return LatencyStats.EMPTY;
        }
        if (histogram != null) {
            return new LatencyStats(count, 1000 * sum / count, histogramMillis(50), histogramMillis(90),
                    histogramMillis(95), histogramMillis(99), 1000 * max);
        }
        double[] sorted = sortedSamples();
        return new LatencyStats(count, 1000 * sum / count, 1000 * percentile(sorted, 50),
                1000 * percentile(sorted, 90), 1000 * percentile(sorted, 95), 1000 * percentile(sorted, 99),
                1000 * max);
    }

    /**
     * At most {@code points} values in milliseconds that describe the distribution: every sample when there are
     * few, else the values at evenly spaced quantiles (0 to 1), for plots.
     */
    public double[] quantilesMillis(int points) {
        if (count == 0) {
            return new double[0];
        }
        double[] sorted = histogram == null ? sortedSamples() : null;
        int n = (int) Math.min(points, count);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            double p = n == 1 ? 50 : 100.0 * i / (n - 1);
            values[i] = 1000 * (sorted != null
                    ? (n == count ? sorted[i] : percentile(sorted, p))
                    : histogramMillis(p) / 1000);
        }
        return values;
    }

    private double histogramMillis(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private double[] sortedSamples() {
        double[] sorted = Arrays.copyOf(samples, (int) count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Percentile {@code p} (0-100) of sorted values, linear between closest ranks (numpy.percentile's default). */
    static double percentile(double[] sorted, double p) {
        double rank = p / 100.0 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}
