package dev.servesim.runner;

import dev.servesim.api.ConfigValues;

/**
 * Service-level objectives for goodput: a completed request is good if it meets every threshold that is set.
 *
 * @param ttft time-to-first-token limit in seconds, or absent
 * @param tpot limit on the mean gap between output tokens in seconds, or absent
 */
public record Slo(Double ttft, Double tpot) {

    /** No objective: goodput is undefined (its share and rate are NaN, written as null). */
    public static final Slo NONE = new Slo(null, null);

    public Slo {
        if (ttft != null) {
            ConfigValues.positive("ttft", ttft);
        }
        if (tpot != null) {
            ConfigValues.positive("tpot", tpot);
        }
    }

    /** True if at least one threshold is set, so that goodput means something. */
    public boolean hasObjective() {
        return ttft != null || tpot != null;
    }

    /** True if a completed request with these latencies (seconds; NaN TPOT for one-token answers) meets the SLOs. */
    public boolean met(double ttftSeconds, double tpotSeconds) {
        return (ttft == null || ttftSeconds <= ttft) && (tpot == null || Double.isNaN(tpotSeconds) || tpotSeconds <= tpot);
    }
}
