package dev.servesim.report;

import java.util.Arrays;

/**
 * The empirical survival function P(X &gt; t) of a sample, as the corners of a step line: at each drawn point t the
 * curve drops to the fraction of values above t. Small samples keep every step; large ones are reduced to at most
 * {@link #MAX_POINTS} points, evenly spaced in rank for the body and evenly spaced in log(P) for the tail, so p99 and
 * p99.9 stay visible on a logarithmic probability axis.
 */
final class SurvivalCurve {
    static final int MAX_POINTS = 500;
    private static final int BODY_POINTS = 299;
    private static final int TAIL_POINTS = 200;

    private final double[] times;
    private final double[] probabilities;
    private final int size;
    private final int count;

    private SurvivalCurve(double[] times, double[] probabilities, int size, int count) {
        this.times = times;
        this.probabilities = probabilities;
        this.size = size;
        this.count = count;
    }

    static SurvivalCurve of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double[] times = new double[MAX_POINTS + 1];
        double[] probabilities = new double[MAX_POINTS + 1];
        if (n == 0) {
            return new SurvivalCurve(times, probabilities, 0, 0);
        }
        times[0] = sorted[0];
        probabilities[0] = 1.0;
        int size = 1;
        int previousAbove = -1;
        for (int rank : ranks(n)) {
            int above = upperBound(sorted, sorted[rank]);
            if (above != previousAbove) {
                times[size] = sorted[rank];
                probabilities[size] = (double) (n - above) / n;
                size++;
                previousAbove = above;
            }
        }
        return new SurvivalCurve(times, probabilities, size, n);
    }

    /** Ascending distinct ranks whose values are drawn; the last one is the maximum, where P reaches 0. */
    private static int[] ranks(int n) {
        if (n < MAX_POINTS) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] ranks = new int[BODY_POINTS + TAIL_POINTS];
        for (int k = 0; k < BODY_POINTS; k++) {
            ranks[k] = (int) Math.round((double) k * (n - 1) / (BODY_POINTS - 1));
        }
        double logN = Math.log(n);
        for (int k = 0; k < TAIL_POINTS; k++) {
            long valuesAbove = Math.round(Math.exp(logN * k / (TAIL_POINTS - 1)));
            ranks[BODY_POINTS + k] = (int) Math.max(0, n - valuesAbove);
        }
        return Arrays.stream(ranks).sorted().distinct().toArray();
    }

    /** The index of the first value greater than {@code value}, or the length if none is. */
    private static int upperBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    double[] times() {
        return Arrays.copyOf(times, size);
    }

    double[] probabilities() {
        return Arrays.copyOf(probabilities, size);
    }

    int size() {
        return size;
    }

    /** The number of values the curve was computed from. */
    int count() {
        return count;
    }

    /** Writes {@code t} and {@code p}; the legend's request count comes from the distribution. */
    void writeTo(JsonWriter json) {
        json.name("t").values(times, size);
        json.name("p").values(probabilities, size);
    }
}
