package dev.servesim.workload;

import dev.servesim.api.ServesimException;
import dev.servesim.workload.sampling.Sampler;

/** Create-time checks of token distributions against the serving engines' context limit. */
final class SessionLimits {

    /** Above this many tokens a prompt is absurd even for engines without a context limit. */
    static final double ABSURD_TOKENS = 10_000_000;

    private SessionLimits() {}

    /**
     * Fails when the expected length drawn from {@code sampler} (plus {@code fixedTokens}) cannot fit the context.
     *
     * @param key the configuration key, e.g. {@code workload.profiles[0].prompt_tokens}
     * @param what what the tokens are, e.g. "prompt length"
     */
    static void checkExpected(String key, String what, Sampler sampler, long fixedTokens, int maxModelLen) {
        double mean = sampler.mean();
        if (!Double.isFinite(mean)) {
            throw ServesimException.config(key, "has no finite mean (a Pareto shape of 1 or less?); a token count"
                    + " needs one");
        }
        double expected = mean + fixedTokens;
        if (expected >= maxModelLen) {
            throw ServesimException.config(key, "the expected " + what + " is " + Math.round(expected)
                    + " tokens, not below the serving engines' max_model_len of " + maxModelLen + "; check the "
                    + "distribution's parameters (lognormal takes the distribution's own mean and stddev in tokens, "
                    + "not mu and sigma)");
        }
        if (expected > ABSURD_TOKENS) {
            throw ServesimException.config(key, "the expected " + what + " is " + Math.round(expected)
                    + " tokens, which no model serves; check the distribution's parameters");
        }
    }

    /** Fails unless a shared prefix leaves room for at least one input and one output token. */
    static void checkPrefix(String key, long prefixTokens, int maxModelLen) {
        if (prefixTokens + 2 > maxModelLen) {
            throw ServesimException.config(key, prefixTokens + " tokens leave no room for a prompt and an output "
                    + "within the serving engines' max_model_len of " + maxModelLen);
        }
    }
}
