package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

import dev.servesim.api.ConfigValues;
import dev.servesim.api.ServesimException;

/**
 * Configuration of the {@code multiturn} source: agentic sessions of closed-loop turns on shared prefixes.
 * Per-turn lengths are either a fixed integer ({@code prompt_tokens}) or a distribution
 * ({@code prompt_tokens_distribution}), not both.
 *
 * @param rate sessions started per second, Poisson (required)
 * @param duration sessions start during this many seconds; their later turns still run; at least one of duration
 *     and num_sessions
 * @param numSessions stop starting sessions after this many
 * @param turns turns per session (default 5)
 * @param thinkTime seconds between a turn's completion and the next turn (default 1)
 * @param prefixCount number of distinct shared prefixes, assigned to sessions round-robin (default 1)
 * @param prefixTokens tokens of each shared prefix (default 0: none)
 * @param promptTokens new tokens each turn adds (default 256 unless a distribution is given)
 * @param promptTokensDistribution distribution of the new tokens each turn adds
 * @param outputTokens output tokens of each turn (default 128 unless a distribution is given)
 * @param outputTokensDistribution distribution of each turn's output tokens
 * @param contextOverflow a turn that would exceed the engines' max_model_len: {@code end} the session (default) or
 *     {@code truncate} it (drop the oldest turns)
 */
public record MultiturnConfig(
        Double rate,
        Double duration,
        Long numSessions,
        Integer turns,
        Double thinkTime,
        Integer prefixCount,
        Integer prefixTokens,
        Integer promptTokens,
        DistributionConfig promptTokensDistribution,
        Integer outputTokens,
        DistributionConfig outputTokensDistribution,
        String contextOverflow) {

    public MultiturnConfig {
        if (rate == null) {
            throw ServesimException.config("rate", "is required (sessions per second)");
        }
        positive("rate", rate);
        if (duration == null && numSessions == null) {
            throw ServesimException.config("duration", "set duration (seconds) or num_sessions, or both");
        }
        if (duration != null) {
            ConfigValues.duration("duration", duration);
        }
        if (numSessions != null && numSessions < 1) {
            throw ServesimException.config("num_sessions", "must be positive, got " + numSessions);
        }
        turns = positive("turns", orDefault(turns, 5));
        double sessions = duration == null ? numSessions
                : numSessions == null ? rate * duration : Math.min(numSessions, rate * duration);
        ConfigValues.requestBudget(duration == null || (numSessions != null && numSessions < rate * duration)
                ? "num_sessions" : "rate", sessions * turns, "sessions x turns");
        thinkTime = nonNegative("think_time", orDefault(thinkTime, 1.0));
        prefixCount = positive("prefix_count", orDefault(prefixCount, 1));
        prefixTokens = nonNegative("prefix_tokens", orDefault(prefixTokens, 0));
        promptTokensDistribution = DistributionConfig.unweighted("prompt_tokens_distribution",
                promptTokensDistribution);
        outputTokensDistribution = DistributionConfig.unweighted("output_tokens_distribution",
                outputTokensDistribution);
        promptTokens = fixedOrDistribution("prompt_tokens", promptTokens, promptTokensDistribution, 256);
        outputTokens = fixedOrDistribution("output_tokens", outputTokens, outputTokensDistribution, 128);
        contextOverflow = SyntheticConfig.overflow("context_overflow", contextOverflow);
    }

    private static Integer fixedOrDistribution(String key, Integer fixed, DistributionConfig distribution,
            int defaultValue) {
        if (fixed != null && distribution != null) {
            throw ServesimException.config(key, "give either " + key + " or " + key + "_distribution, not both");
        }
        if (distribution != null) {
            return null;
        }
        return positive(key, orDefault(fixed, defaultValue));
    }
}
