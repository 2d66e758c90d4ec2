package dev.servesim.api.request;

import static java.util.Objects.requireNonNull;

/**
 * One inference request as a workload sends it.
 *
 * <p>Every request belongs to a session: a single-shot request is a session of one turn whose session id is its own
 * id. Turn numbers start at 1. The engine generates exactly {@code maxOutputTokens} tokens unless the context limit
 * stops it earlier.
 *
 * <p>EOS is modelled by the workload, not the engine (since API 0.5): {@code maxTokens} is the client's limit (its
 * {@code max_tokens}) and {@code maxOutputTokens} the tokens the model generates, at most that limit. A request
 * with {@code maxOutputTokens < maxTokens} emits EOS after its last token and finishes with reason {@code stop};
 * one that reaches {@code maxTokens} finishes with {@code length}. A request built without a limit has
 * {@code maxTokens == maxOutputTokens}: it is generated to that length and ends with {@code length}, as requests of
 * benchmark clients that send {@code ignore_eos} do.
 *
 * @param id unique within a run
 * @param sessionId session the request belongs to
 * @param turn 1 for the first request of a session
 * @param arrivalTime simulated time at which the request reaches the serving system, seconds
 * @param prompt the prompt's content, from which block hashes are derived
 * @param maxOutputTokens tokens to generate, at least 1
 * @param priority lower is more urgent (vLLM's convention); 0 by default
 * @param profile client profile or load stage the request belongs to, for breakdowns; empty if none
 * @param maxTokens the client's limit on output tokens ({@code max_tokens}), at least {@code maxOutputTokens}
 *     (since API 0.5, additive)
 */
public record Request(
        long id,
        long sessionId,
        int turn,
        double arrivalTime,
        PromptContent prompt,
        int maxOutputTokens,
        int priority,
        String profile,
        int maxTokens) {

    public Request {
        requireNonNull(prompt, "prompt is null");
        requireNonNull(profile, "profile is null");
        if (turn < 1) {
            throw new IllegalArgumentException("turn must be at least 1, got " + turn);
        }
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be at least 1, got " + maxOutputTokens);
        }
        if (maxTokens < maxOutputTokens) {
            throw new IllegalArgumentException("maxTokens must be at least maxOutputTokens (" + maxOutputTokens
                    + "), got " + maxTokens);
        }
        if (!(arrivalTime >= 0) || Double.isInfinite(arrivalTime)) {
            throw new IllegalArgumentException("arrivalTime must be a finite time >= 0, got " + arrivalTime);
        }
    }

    /**
     * A request whose client limit is its output length ({@code maxTokens == maxOutputTokens}): it finishes with
     * reason {@code length}. The canonical constructor before API 0.5.
     */
    public Request(long id, long sessionId, int turn, double arrivalTime, PromptContent prompt, int maxOutputTokens,
            int priority, String profile) {
        this(id, sessionId, turn, arrivalTime, prompt, maxOutputTokens, priority, profile, maxOutputTokens);
    }

    /** A single-shot request: its own session, turn 1, priority 0, no profile, limit = output length. */
    public static Request single(long id, double arrivalTime, PromptContent prompt, int maxOutputTokens) {
        return new Request(id, id, 1, arrivalTime, prompt, maxOutputTokens, 0, "");
    }

    /**
     * True if the model emits EOS before the client's limit: the request finishes with reason {@code stop} once it
     * has generated {@code maxOutputTokens} tokens (since API 0.5).
     */
    public boolean stopsBeforeLimit() {
        return maxOutputTokens < maxTokens;
    }

    /** Number of prompt tokens. */
    public int promptTokens() {
        return prompt.tokens();
    }

    /**
     * Content id of the tokens this request generates. A follow-up turn whose prompt repeats this response uses
     * {@code new Segment(outputContentId(), outputTokens)}, so it shares the blocks the response filled.
     */
    public long outputContentId() {
        long z = (id + 0x7F4A7C159E3779B9L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31) ^ 0x00C0FFEE_0000_0001L;
    }
}
