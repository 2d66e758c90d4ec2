package dev.servesim.runner.sinks;

import java.util.Arrays;

/**
 * Sums and counts of a few channels in time buckets of equal width. When the run outgrows {@code maxBuckets}, the
 * width doubles and neighbouring buckets merge, so memory stays bounded however long the run is.
 */
final class Timeline {

    private final int channels;
    private final int maxBuckets;
    private double width;
    private double[][] sums;
    private long[][] counts;
    private int used;

    Timeline(int channels, double initialWidth, int maxBuckets) {
        this.channels = channels;
        this.maxBuckets = maxBuckets;
        this.width = initialWidth;
        this.sums = new double[channels][maxBuckets];
        this.counts = new long[channels][maxBuckets];
    }

    /** Adds {@code value} to {@code channel} in the bucket of {@code time} (seconds, not negative). */
    void add(int channel, double time, double value) {
        int bucket = bucketOf(time);
        sums[channel][bucket] += value;
        counts[channel][bucket]++;
        used = Math.max(used, bucket + 1);
    }

    private int bucketOf(double time) {
        int bucket = (int) (Math.max(0, time) / width);
        while (bucket >= maxBuckets) {
            merge();
            bucket = (int) (Math.max(0, time) / width);
        }
        return bucket;
    }

    private void merge() {
        for (int c = 0; c < channels; c++) {
            for (int b = 0; b < maxBuckets / 2; b++) {
                sums[c][b] = sums[c][2 * b] + sums[c][2 * b + 1];
                counts[c][b] = counts[c][2 * b] + counts[c][2 * b + 1];
            }
            Arrays.fill(sums[c], maxBuckets / 2, maxBuckets, 0);
            Arrays.fill(counts[c], maxBuckets / 2, maxBuckets, 0);
        }
        used = (used + 1) / 2;
        width *= 2;
    }

    /**
     * One channel over time, merged into at most {@code maxPoints} points: per point its time (midpoint), and the
     * channel's sum per second ({@code rate}) or the mean of its values; points without values are left out of
     * means, so sampled gauges draw a line.
     */
    double[][] points(int channel, double end, boolean rate, int maxPoints) {
        int n = bucketsUpTo(end);
        int factor = Math.max(1, (n + maxPoints - 1) / maxPoints);
        int points = (n + factor - 1) / factor;
        double[] times = new double[points];
        double[] values = new double[points];
        int kept = 0;
        for (int p = 0; p < points; p++) {
            double sum = 0;
            long count = 0;
            for (int b = p * factor; b < Math.min(n, (p + 1) * factor); b++) {
                sum += sums[channel][b];
                count += counts[channel][b];
            }
            if (!rate && count == 0) {
                continue;
            }
            times[kept] = (p + 0.5) * factor * width;
            values[kept] = rate ? sum / (factor * width) : sum / count;
            kept++;
        }
        return new double[][] {Arrays.copyOf(times, kept), Arrays.copyOf(values, kept)};
    }

    /** The ratio of two channels' sums over time, merged as {@link #points}; NaN where the denominator is 0. */
    double[][] ratio(int numerator, int denominator, double end, int maxPoints) {
        double[][] top = points(numerator, end, true, maxPoints);
        double[][] bottom = points(denominator, end, true, maxPoints);
        double[] values = new double[top[1].length];
        for (int p = 0; p < values.length; p++) {
            values[p] = bottom[1][p] == 0 ? Double.NaN : top[1][p] / bottom[1][p];
        }
        return new double[][] {top[0], values};
    }

    private int bucketsUpTo(double end) {
        return Math.min(maxBuckets, Math.max(used, (int) Math.ceil(end / width)));
    }
}
