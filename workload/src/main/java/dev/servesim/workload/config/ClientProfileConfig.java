package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.inRange;
import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

import dev.servesim.api.ServesimException;
import java.util.regex.Pattern;

/**
 * One client profile of the {@code synthetic} source: an independent stream of sessions with its own distributions.
 * Token distributions are drawn, rounded and floored at 1; time distributions are floored at 0.
 *
 * @param name label of the profile's requests (default {@code profile-<index>}); letters, digits, {@code _ . -}
 * @param weight share of the source's {@code rate} (default 1 when {@code rate} is set; not allowed without it)
 * @param interArrival gaps between session starts, seconds. With the source's {@code rate} it gives the shape only
 *     and is rescaled to the profile's mean gap (default exponential: Poisson arrivals); without it, it is used as
 *     written and is required
 * @param promptTokens prompt length of a session's first turn, tokens (default constant 512)
 * @param maxOutputTokens output length of every turn, tokens: where the model would emit EOS (default constant 128)
 * @param followUpTokens new user input of each later turn, tokens (default: the same as {@code prompt_tokens})
 * @param sharedPrefixTokens tokens of a system prompt shared by every request of the profile (default 0: none)
 * @param conversationalProbability probability that a session has more than one turn (default 0)
 * @param thinkTime seconds between a turn's completion and the next turn (default exponential, mean 10 s)
 * @param maxTurns most turns of a conversational session (default 5)
 * @param continuationProbability probability, after each turn below {@code max_turns}, that the session goes on
 *     (default 1)
 * @param streamingResponseProbability probability that a request asks for a streamed response (default 1)
 * @param priority scheduling priority of the profile's requests, lower is more urgent (default 0)
 * @param maxTokens the client's limit on output tokens: a turn generates the smaller of its drawn output length and
 *     this, and finishes with reason {@code stop} if the drawn length is below it, else {@code length}. Absent: no
 *     limit, every turn generates its drawn length and finishes with {@code length}
 */
public record ClientProfileConfig(
        String name,
        Double weight,
        DistributionConfig interArrival,
        DistributionConfig promptTokens,
        DistributionConfig maxOutputTokens,
        DistributionConfig followUpTokens,
        Integer sharedPrefixTokens,
        Double conversationalProbability,
        DistributionConfig thinkTime,
        Integer maxTurns,
        Double continuationProbability,
        Double streamingResponseProbability,
        Integer priority,
        Integer maxTokens) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    public ClientProfileConfig {
        if (name != null && !NAME.matcher(name).matches()) {
            throw ServesimException.config("name", "use letters, digits, '_', '.' and '-' only, got '" + name + "'");
        }
        if (weight != null) {
            positive("weight", weight);
        }
        interArrival = DistributionConfig.unweighted("inter_arrival", interArrival);
        promptTokens = orDefault(DistributionConfig.unweighted("prompt_tokens", promptTokens),
                DistributionConfig.constant(512));
        maxOutputTokens = orDefault(DistributionConfig.unweighted("max_output_tokens", maxOutputTokens),
                DistributionConfig.constant(128));
        followUpTokens = orDefault(DistributionConfig.unweighted("follow_up_tokens", followUpTokens), promptTokens);
        sharedPrefixTokens = nonNegative("shared_prefix_tokens", orDefault(sharedPrefixTokens, 0));
        conversationalProbability = inRange("conversational_probability", orDefault(conversationalProbability, 0.0),
                0, 1);
        thinkTime = orDefault(DistributionConfig.unweighted("think_time", thinkTime),
                DistributionConfig.exponential(10));
        maxTurns = positive("max_turns", orDefault(maxTurns, 5));
        continuationProbability = inRange("continuation_probability", orDefault(continuationProbability, 1.0), 0, 1);
        streamingResponseProbability = inRange("streaming_response_probability",
                orDefault(streamingResponseProbability, 1.0), 0, 1);
        priority = orDefault(priority, 0);
        if (maxTokens != null) {
            positive("max_tokens", maxTokens);
        }
    }

    /** This profile with {@code name} and {@code weight} filled in by the source's configuration. */
    public ClientProfileConfig withNameAndWeight(String newName, Double newWeight) {
        return new ClientProfileConfig(newName, newWeight, interArrival, promptTokens, maxOutputTokens, followUpTokens,
                sharedPrefixTokens, conversationalProbability, thinkTime, maxTurns, continuationProbability,
                streamingResponseProbability, priority, maxTokens);
    }
}
