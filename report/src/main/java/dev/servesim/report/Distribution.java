package dev.servesim.report;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * Latency values of one metric for one cohort of requests, drawn as a survival curve P(X &gt; t) (and, for TPOT in a
 * run report, as a histogram).
 *
 * @param metric one of {@link #METRICS}: {@code ttft}, {@code e2e} or {@code tpot}
 * @param cohort the group of requests, for example {@code all}, {@code turn 1} or {@code turns 2+}; shown in legends
 * @param values milliseconds, finite and not negative, in any order; raw values or evenly spaced quantiles; copied.
 *     The renderer keeps at most about 500 points per curve, so a million values still give a small page.
 * @param requests the number of requests the values describe, shown in legends ({@code n=}); not negative. With raw
 *     values it is their number; with quantiles it is the size of the sample they were taken from
 */
public record Distribution(String metric, String cohort, double[] values, long requests) {
    /** The metric ids, in the order reports show them. */
    public static final List<String> METRICS = List.of("ttft", "e2e", "tpot");

    public Distribution {
        requireNonNull(metric, "metric is null");
        if (requests < 0) {
            throw new IllegalArgumentException(metric + " (" + cohort + "): requests is negative: " + requests);
        }
        requireNonNull(cohort, "cohort is null");
        requireNonNull(values, "values is null");
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("unknown metric '" + metric + "'; known: " + METRICS);
        }
        if (cohort.isBlank()) {
            throw new IllegalArgumentException("cohort of metric '" + metric + "' is blank");
        }
        values = values.clone();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || values[i] < 0) {
                throw new IllegalArgumentException(metric + " (" + cohort + "): values must be finite and not negative, "
                        + "but values[" + i + "] is " + values[i]);
            }
        }
    }

    /** Raw values: one per request. */
    public Distribution(String metric, String cohort, double[] values) {
        this(metric, cohort, values, requireNonNull(values, "values is null").length);
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Distribution that
                && metric.equals(that.metric)
                && cohort.equals(that.cohort)
                && requests == that.requests
                && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * metric.hashCode() + cohort.hashCode()) + Long.hashCode(requests))
                + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Distribution[metric=" + metric + ", cohort=" + cohort + ", count=" + values.length
                + ", requests=" + requests + "]";
    }

    /** The values without copying, for the renderer. */
    double[] valuesView() {
        return values;
    }
}
