package dev.servesim.calibration;

import java.util.Arrays;

/** Order statistics of small samples: numpy's default linear interpolation between closest ranks. */
final class Stats {

    private Stats() {}

    static double median(double[] values) {
        return quantile(values, 0.5);
    }

    static double quantile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /** Absolute percentage error, |predicted - actual| / actual * 100. */
    static double ape(double predicted, double actual) {
        return Math.abs(predicted - actual) / actual * 100.0;
    }

    /** Signed percentage error, (predicted - actual) / actual * 100. */
    static double pe(double predicted, double actual) {
        return (predicted - actual) / actual * 100.0;
    }
}
