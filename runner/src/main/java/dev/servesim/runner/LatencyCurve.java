package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

/**
 * Quantile samples of one latency for plots (at most a few hundred values, in milliseconds, ascending).
 *
 * @param metric {@code ttft}, {@code e2e} or {@code tpot}
 * @param cohort {@code all}, {@code turn 1} or {@code turns 2+}
 * @param millis the values
 */
public record LatencyCurve(String metric, String cohort, double[] millis) {

    public LatencyCurve {
        requireNonNull(metric, "metric is null");
        requireNonNull(cohort, "cohort is null");
        millis = millis.clone();
    }
}
