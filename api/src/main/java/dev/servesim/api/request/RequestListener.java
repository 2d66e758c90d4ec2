package dev.servesim.api.request;

/**
 * Lifecycle events an engine reports for the requests it was given. The runner turns them into per-request records,
 * statistics and sink events; engines do no timing arithmetic of their own.
 *
 * <p>Every request submitted to an engine must end with exactly one {@link #onFinished} or {@link #onRejected}, unless
 * the run stops first. Called on the simulation thread, with {@code time} equal to the current simulated time.
 *
 * <p>Every method does nothing by default (since API 0.3), so a listener overrides the events it needs, and an event
 * added in a later API version is one more default method that breaks no listener.
 */
public interface RequestListener {

    /** The request entered the engine's waiting queue. */
    default void onQueued(Request request, double time) {}

    /**
     * The request was admitted to the running batch (first admission, or again after a preemption).
     *
     * @param cachedTokens tokens served from the KV cache at this admission (block-aligned); for a request resumed
     *     after a preemption they can include its earlier output tokens
     * @param cacheEvent the cache strategy's classification of the lookup, e.g. {@code MISS}
     */
    default void onScheduled(Request request, double time, int cachedTokens, String cacheEvent) {}

    /**
     * A step that computed {@code tokens} prompt tokens of the request ended at {@code time}; after a preemption, the
     * recomputed prompt and earlier output tokens are reported here too.
     */
    default void onPrefillChunk(Request request, double time, int tokens) {}

    /**
     * A step that ended at {@code time} produced {@code count} output tokens of the request. The first call carries
     * the first token (time to first token); each later call is one inter-token gap.
     */
    default void onTokens(Request request, double time, int count) {}

    /** The request lost its KV blocks and went back to the waiting queue (recompute semantics). */
    default void onPreempted(Request request, double time) {}

    /** The request finished normally; its KV blocks were released. */
    default void onFinished(Request request, double time) {}

    /**
     * The engine refused the request. {@code reason} is a short fixed category, optionally followed by {@code ": "} and
     * this request's details, e.g. {@code prompt longer than max_model_len: 5000 tokens, max_model_len 4096}; run
     * summaries count rejections by the category, per-request outputs keep the whole text.
     */
    default void onRejected(Request request, double time, String reason) {}
}
