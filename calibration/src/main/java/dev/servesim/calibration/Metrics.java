package dev.servesim.calibration;

import java.util.List;

/**
 * The seven whole-run figures of the calibration set, in milliseconds, as its README defines them: E2E and TTFT
 * mean/p90/p99 over successful requests, and ITL = (mean E2E - mean TTFT) / (mean output tokens - 1).
 */
public record Metrics(double e2eMeanMs, double e2eP90Ms, double e2eP99Ms, double ttftMeanMs, double ttftP90Ms,
        double ttftP99Ms, double itlMeanMs) {

    /** Metric names in the order of {@link #values()}; also the JSON and CSV column stems. */
    public static final List<String> NAMES = List.of("e2e_mean", "e2e_p90", "e2e_p99", "ttft_mean", "ttft_p90",
            "ttft_p99", "itl_mean");

    public static Metrics of(double[] values) {
        if (values.length != NAMES.size()) {
            throw new IllegalArgumentException("expected " + NAMES.size() + " values, got " + values.length);
        }
        return new Metrics(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }

    public double[] values() {
        return new double[] {e2eMeanMs, e2eP90Ms, e2eP99Ms, ttftMeanMs, ttftP90Ms, ttftP99Ms, itlMeanMs};
    }

    /** ITL as the README defines it, from the means and a mean output length in tokens. */
    public static double itlMs(double e2eMeanMs, double ttftMeanMs, double meanOutputTokens) {
        return (e2eMeanMs - ttftMeanMs) / (meanOutputTokens - 1);
    }

    /** Element-wise mean of several predictions (one per seed). */
    public static Metrics mean(List<Metrics> samples) {
        double[] sum = new double[NAMES.size()];
        for (Metrics sample : samples) {
            double[] values = sample.values();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += values[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= samples.size();
        }
        return of(sum);
    }
}
