package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.request.PromptContent;

/**
 * A request handed in from outside a run ({@code servesim serve}'s clients): what it asks, not yet when it arrives.
 *
 * @param prompt the prompt's content, so that equal prefixes hit the prefix cache
 * @param maxOutputTokens output tokens to generate (at least 1)
 */
public record LiveRequest(PromptContent prompt, int maxOutputTokens) {

    public LiveRequest {
        requireNonNull(prompt, "prompt is null");
        if (prompt.tokens() < 1 || maxOutputTokens < 1) {
            throw new IllegalArgumentException("a request needs a prompt token and an output token, got "
                    + prompt.tokens() + " and " + maxOutputTokens);
        }
    }
}
