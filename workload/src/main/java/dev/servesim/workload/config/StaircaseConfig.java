package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.positive;
import static dev.servesim.api.ConfigValues.required;

import dev.servesim.api.ConfigValues;
import dev.servesim.api.ServesimException;

/**
 * A staircase of stages for the {@code shared-prefix} source's {@code staircase} load: step {@code i} (0-based) runs
 * at {@code start_rate + i * rate_step} requests per second for {@code step_duration} seconds.
 *
 * @param startRate rate of the first step, requests per second (required)
 * @param rateStep rate added at each step, may be negative as long as every step's rate stays positive (required)
 * @param steps number of steps (required)
 * @param stepDuration seconds per step (required)
 */
public record StaircaseConfig(Double startRate, Double rateStep, Integer steps, Double stepDuration) {

    public StaircaseConfig {
        positive("start_rate", required("start_rate", startRate));
        required("rate_step", rateStep);
        if (!Double.isFinite(rateStep)) {
            throw ServesimException.config("rate_step", "must be a finite number, got " + rateStep);
        }
        positive("steps", required("steps", steps));
        ConfigValues.duration("step_duration", required("step_duration", stepDuration));
        ConfigValues.duration("steps", steps * stepDuration);
        double last = startRate + (steps - 1) * rateStep;
        if (!(last > 0)) {
            throw ServesimException.config("rate_step", "makes the rate of step " + (steps - 1) + " " + last
                    + " requests per second; every step needs a positive rate");
        }
    }

    /** Rate of step {@code index}, requests per second. */
    public double rateOf(int index) {
        return startRate + index * rateStep;
    }
}
