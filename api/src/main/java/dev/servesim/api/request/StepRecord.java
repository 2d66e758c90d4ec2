package dev.servesim.api.request;

/**
 * One engine step (scheduler iteration), reported when it ends.
 *
 * @param replica engine replica index
 * @param startTime step start, seconds
 * @param duration step duration, seconds
 * @param prefillTokens prompt (or recomputed) tokens computed in the step
 * @param decodeTokens output tokens computed in the step
 * @param scheduledRequests requests that got tokens in the step
 * @param running requests in the running batch after the step
 * @param waiting requests in the waiting queue after the step
 * @param kvBlocksUsed KV blocks referenced by requests after the step
 * @param kvBlocksTotal usable KV blocks of the engine
 * @param preemptions preemptions that happened while scheduling the step
 */
public record StepRecord(
        int replica,
        double startTime,
        double duration,
        int prefillTokens,
        int decodeTokens,
        int scheduledRequests,
        int running,
        int waiting,
        int kvBlocksUsed,
        int kvBlocksTotal,
        int preemptions) {

    /** Fraction of usable KV blocks referenced by requests, 0 to 1 (vLLM's {@code kv_cache_usage_perc}). */
    public double kvUsage() {
        return kvBlocksTotal == 0 ? 0 : (double) kvBlocksUsed / kvBlocksTotal;
    }
}
