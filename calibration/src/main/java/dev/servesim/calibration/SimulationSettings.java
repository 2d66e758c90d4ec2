package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the runs of a runs file are simulated.
 *
 * @param stepTime the engine's {@code step_time}: {@code roofline} or {@code physics}
 * @param coefficients a physics coefficients file replacing the built-in ones (physics only)
 * @param seeds seeds per run (1 to N); predictions are the mean over them
 * @param durationScale every stage's duration is multiplied by this (1 = as measured); fewer requests, faster runs
 * @param jobs simulations run at once
 * @param promptPool which distinct prompts the load generator cycled through: {@link #POOL_BUILD_DEFAULT} (10 groups
 *     of 10, what the public inference-perf build recorded, since it ignored the profile's group keys) or
 *     {@link #POOL_PROFILE} (the row's {@code num_unique_system_prompts} x {@code users_per_system_prompt})
 * @param sustainableRate also measure each simulated row's {@link SustainableRate} (two extra simulations per row,
 *     about a second)
 */
public record SimulationSettings(String stepTime, Optional<Path> coefficients, int seeds, double durationScale,
        int jobs, String promptPool, boolean sustainableRate) {

    /** The inference-perf defaults (num_groups 10 x num_prompts_per_group 10) that the public build fell back to. */
    public static final String POOL_BUILD_DEFAULT = "10x10";
    /** The row's nominal profile values. */
    public static final String POOL_PROFILE = "profile";
    /** Groups and prompts per group of {@link #POOL_BUILD_DEFAULT}. */
    static final int BUILD_DEFAULT_GROUPS = 10;
    static final int BUILD_DEFAULT_PROMPTS_PER_GROUP = 10;

    /**
     * Tokens added to each question when a row gives no measured prompt length: re-tokenising the decoded random
     * prompt adds 25-50 tokens in the real runs (README); the three public runs average 30.
     */
    public static final int DEFAULT_PROMPT_EXTRA_TOKENS = 30;

    public SimulationSettings {
        requireNonNull(stepTime, "stepTime is null");
        requireNonNull(coefficients, "coefficients is null");
        if (!stepTime.equals("roofline") && !stepTime.equals("physics")) {
            throw new IllegalArgumentException("step time must be roofline or physics, got " + stepTime);
        }
        if (coefficients.isPresent() && !stepTime.equals("physics")) {
            throw new IllegalArgumentException("coefficients need step time physics");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be at least 1, got " + seeds);
        }
        if (!(durationScale > 0 && durationScale <= 1)) {
            throw new IllegalArgumentException("duration scale must be in (0, 1], got " + durationScale);
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        }
        requireNonNull(promptPool, "promptPool is null");
        if (!promptPool.equals(POOL_BUILD_DEFAULT) && !promptPool.equals(POOL_PROFILE)) {
            throw new IllegalArgumentException("prompt pool must be " + POOL_BUILD_DEFAULT + " or " + POOL_PROFILE
                    + ", got " + promptPool);
        }
    }

    /** Settings that do not measure the sustainable rate (the calibrator's fitting loop). */
    public SimulationSettings(String stepTime, Optional<Path> coefficients, int seeds, double durationScale, int jobs,
            String promptPool) {
        this(stepTime, coefficients, seeds, durationScale, jobs, promptPool, false);
    }

    public SimulationSettings withCoefficients(Path file) {
        return new SimulationSettings("physics", Optional.of(file), seeds, durationScale, jobs, promptPool,
                sustainableRate);
    }

    public SimulationSettings withSustainableRate(boolean measure) {
        return new SimulationSettings(stepTime, coefficients, seeds, durationScale, jobs, promptPool, measure);
    }
}
