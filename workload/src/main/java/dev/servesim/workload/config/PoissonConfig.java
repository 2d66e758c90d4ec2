package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

import dev.servesim.api.ConfigValues;
import dev.servesim.api.ServesimException;

/**
 * Configuration of the {@code poisson} workload source.
 *
 * @param rate mean arrival rate, requests per second (required)
 * @param duration arrivals stop after this many simulated seconds; at least one of duration and num_requests
 * @param numRequests arrivals stop after this many requests
 * @param promptTokens prompt length of every request (default 512)
 * @param outputTokens output length of every request (default 128)
 */
public record PoissonConfig(Double rate, Double duration, Long numRequests, Integer promptTokens,
        Integer outputTokens) {

    public PoissonConfig {
        if (rate == null) {
            throw ServesimException.config("rate", "is required (requests per second)");
        }
        positive("rate", rate);
        if (duration == null && numRequests == null) {
            throw ServesimException.config("duration", "set duration (seconds) or num_requests, or both");
        }
        if (duration != null) {
            ConfigValues.duration("duration", duration);
        }
        if (numRequests != null && numRequests < 1) {
            throw ServesimException.config("num_requests", "must be positive, got " + numRequests);
        }
        if (numRequests != null && numRequests > ConfigValues.MAX_REQUESTS) {
            ConfigValues.requestBudget("num_requests", numRequests, "num_requests");
        }
        if (duration != null && (numRequests == null || rate * duration < numRequests)) {
            ConfigValues.requestBudget("rate", rate * duration, "rate x duration");
        }
        promptTokens = positive("prompt_tokens", orDefault(promptTokens, 512));
        outputTokens = positive("output_tokens", orDefault(outputTokens, 128));
    }
}
