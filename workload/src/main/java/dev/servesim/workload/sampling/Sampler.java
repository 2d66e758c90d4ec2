package dev.servesim.workload.sampling;

import java.util.random.RandomGenerator;

/**
 * A compiled distribution. Immutable; the caller passes the random stream, so one sampler can serve several streams.
 * Integer quantities (tokens) are drawn with {@link #tokens}, durations with {@link #seconds}.
 */
public interface Sampler {

    /** One draw. */
    double sample(RandomGenerator random);

    /** The distribution's mean; infinite if it has none (Pareto with shape at most 1). */
    double mean();

    /** The distribution's variance; infinite if it has none. */
    double variance();

    /** A draw rounded to the nearest integer and floored at 1 (a token count). */
    default int tokens(RandomGenerator random) {
        return toTokens(sample(random));
    }

    /** A draw floored at 0 (a duration in seconds); a non-finite draw counts as 0. */
    default double seconds(RandomGenerator random) {
        double value = sample(random);
        return Double.isFinite(value) && value > 0 ? value : 0;
    }

    /** Rounds to the nearest integer, at least 1 and at most {@link Integer#MAX_VALUE}; NaN gives 1. */
    static int toTokens(double value) {
        if (!(value >= 1.5)) {
            return 1;
        }
        if (value >= Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.round(value);
    }
}
