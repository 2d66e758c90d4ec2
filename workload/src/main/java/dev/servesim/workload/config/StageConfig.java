package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.positive;
import static dev.servesim.api.ConfigValues.required;

import dev.servesim.api.ConfigValues;

/**
 * One load stage of the {@code shared-prefix} source: {@code rate} requests per second for {@code duration}
 * seconds. Stages run back to back.
 *
 * @param rate requests per second (required)
 * @param duration seconds (required)
 */
public record StageConfig(Double rate, Double duration) {

    public StageConfig {
        positive("rate", required("rate", rate));
        ConfigValues.duration("duration", required("duration", duration));
        ConfigValues.requestBudget("rate", rate * duration, "rate x duration");
    }
}
