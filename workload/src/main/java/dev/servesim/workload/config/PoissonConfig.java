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
 * @param promptTokens prompt length, tokens: a distribution, or a plain number for a constant (default 512)
 * @param outputTokens output length, tokens: where the model would emit EOS; a distribution, or a plain number for
 *     a constant (default 128)
 * @param maxTokens the client's limit on output tokens: a request generates the smaller of its drawn output length
 *     and this, and finishes with reason {@code stop} if the drawn length is below it, else {@code length}. Absent:
 *     no limit, every request generates its drawn length and finishes with {@code length} (benchmark clients that
 *     send {@code ignore_eos})
 */
public record PoissonConfig(Double rate, Double duration, Long numRequests, DistributionConfig promptTokens,
        DistributionConfig outputTokens, Integer maxTokens) {

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
        promptTokens = tokens("prompt_tokens", orDefault(promptTokens, DistributionConfig.constant(512)));
        outputTokens = tokens("output_tokens", orDefault(outputTokens, DistributionConfig.constant(128)));
        if (maxTokens != null) {
            positive("max_tokens", maxTokens);
        }
    }

    /** A token length: unweighted, and a constant is a positive whole number (as the plain integer it replaced). */
    private static DistributionConfig tokens(String key, DistributionConfig distribution) {
        DistributionConfig.unweighted(key, distribution);
        if (distribution.type().equals("constant")) {
            double value = distribution.value();
            if (value != Math.rint(value) || value > Integer.MAX_VALUE) {
                throw ServesimException.config(key, "must be a whole number of tokens, got " + value);
            }
            positive(key, (int) value);
        }
        return distribution;
    }
}
