package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.request.PromptContent;
import java.util.OptionalInt;

/**
 * A request handed in from outside a run ({@code servesim serve}'s clients): what it asks, not yet when it arrives.
 *
 * @param prompt the prompt's content, so that equal prefixes hit the prefix cache
 * @param maxOutputTokens output tokens to generate (at least 1)
 * @param replica the replica the request is pinned to (its number in the deployment, the {@code replica} of
 *     requests.csv), or empty to let the cluster's router choose. A pinned request goes straight to that replica of
 *     the entry pool (in a disaggregated cluster, a prefill replica; its decode replica is still routed), and the
 *     router is neither asked nor told of it. A replica outside the entry pool is refused when the run admits the
 *     request: its listener is told it ended rejected (replica -1), and the run does not count it.
 */
public record LiveRequest(PromptContent prompt, int maxOutputTokens, OptionalInt replica) {

    public LiveRequest {
        requireNonNull(prompt, "prompt is null");
        requireNonNull(replica, "replica is null");
        if (prompt.tokens() < 1 || maxOutputTokens < 1) {
            throw new IllegalArgumentException("a request needs a prompt token and an output token, got "
                    + prompt.tokens() + " and " + maxOutputTokens);
        }
        if (replica.isPresent() && replica.getAsInt() < 0) {
            throw new IllegalArgumentException("a replica number is at least 0, got " + replica.getAsInt());
        }
    }

    /** A request the cluster's router places. */
    public LiveRequest(PromptContent prompt, int maxOutputTokens) {
        this(prompt, maxOutputTokens, OptionalInt.empty());
    }

    /** This request, pinned to {@code replica}: it skips the router. */
    public LiveRequest pinnedTo(int replica) {
        return new LiveRequest(prompt, maxOutputTokens, OptionalInt.of(replica));
    }
}
