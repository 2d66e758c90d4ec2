package dev.servesim.metrics.prometheus;

import dev.servesim.api.request.RequestStatus;

/**
 * The counters and levels the sink keeps per engine replica, one {@code long} each; those documented as a
 * {@code double} hold its raw bits ({@link Tally#setDouble}).
 */
enum Quantity {
    /** Requests that ended completed. */
    REQUESTS_COMPLETED,
    /** Requests the engine refused. */
    REQUESTS_REJECTED,
    /** Requests still in flight when the run stopped. */
    REQUESTS_UNFINISHED,
    /** Completed requests that ended before their limit (the model's EOS: vLLM's finished_reason "stop"). */
    REQUESTS_STOPPED,
    /** Completed requests that ended at their limit (vLLM's finished_reason "length"). */
    REQUESTS_AT_LENGTH,
    /** Prompt tokens of requests that got their first token (cached ones included), as vLLM counts them. */
    PROMPT_TOKENS,
    /** Output tokens generated. */
    GENERATION_TOKENS,
    /** Prompt tokens served from the prefix cache at first admission. */
    CACHED_TOKENS,
    /** Prompt tokens looked up in the prefix cache at first admission. */
    PREFIX_CACHE_QUERIES,
    /** Prompt tokens found there (the same figure as {@link #CACHED_TOKENS}, under vLLM's name). */
    PREFIX_CACHE_HITS,
    /** Preemptions. */
    PREEMPTIONS,
    /** Engine steps (scheduler iterations). */
    ENGINE_STEPS,
    /** Requests in the running batch at the latest step or snapshot. */
    RUNNING,
    /** Requests in the waiting queue at the latest step or snapshot. */
    WAITING,
    /** KV blocks referenced by requests at the latest step or snapshot. */
    KV_BLOCKS_USED,
    /** Usable KV blocks. */
    KV_BLOCKS_TOTAL,
    /**
     * A {@code double}: output tokens per simulated second between the replica's two latest snapshots (SGLang's
     * {@code gen_throughput}); kept only with SGLang's names.
     */
    GENERATION_THROUGHPUT,
    /**
     * A {@code double}: prefix-cache hits over queries, in tokens, between the replica's two latest snapshots that
     * had queries (SGLang's {@code cache_hit_rate}); kept only with SGLang's names.
     */
    CACHE_HIT_RATE,
    /** A {@code double}: simulated time of the replica's latest snapshot, where the next window starts. */
    SNAPSHOT_TIME,
    /** {@link #GENERATION_TOKENS} at the replica's latest snapshot. */
    SNAPSHOT_GENERATION_TOKENS,
    /** {@link #PREFIX_CACHE_QUERIES} at the replica's latest snapshot. */
    SNAPSHOT_PREFIX_CACHE_QUERIES,
    /** {@link #PREFIX_CACHE_HITS} at the replica's latest snapshot. */
    SNAPSHOT_PREFIX_CACHE_HITS;

    static Quantity requests(RequestStatus status) {
        return switch (status) {
            case COMPLETED -> REQUESTS_COMPLETED;
            case REJECTED -> REQUESTS_REJECTED;
            case UNFINISHED -> REQUESTS_UNFINISHED;
        };
    }
}
