package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Admits waiting requests into one prefill batch while memory and the prefill budget last, SGLang's
 * {@code PrefillAdder.add_one_req} (python/sglang/srt/managers/schedule_policy.py); one adder per scheduling step.
 *
 * <p>Memory: a request fits if its remaining prompt plus its clipped {@code max_new_tokens} is below
 * {@code rem_total_tokens = free slots + evictable tokens - offset}. The offset starts as the decode reservation of
 * the running batch, {@code new_token_ratio x min(max_new_tokens - outputs, CLIP_MAX_NEW_TOKENS)} summed over it
 * ({@link #reservedDecodeTokens}), and grows by each admitted request's page-rounded input plus its full clipped
 * {@code max_new_tokens} (not scaled by the ratio). The check is made again with the request's prefix locked, as
 * locking moves that prefix out of the evictable tokens ({@code _lock_node}).
 *
 * <p>Budget: a request whose input reaches the remaining {@code max_prefill_tokens} is refused with
 * {@link AddReqResult#OTHER} unless the batch is empty. One longer than the remaining chunk is cut to the chunk,
 * rounded down to whole pages, and becomes the batch's chunked request. After an admission the result says whether
 * more may follow ({@code budget_state}). Modes this model leaves out: {@code ignore_eos} without a cache, hierarchical
 * cache hits, mixed chunks, priority preemption.
 */
final class PrefillAdder {

    /**
     * The most of a request's {@code max_new_tokens} that admission reserves (schedule_policy.py
     * {@code CLIP_MAX_NEW_TOKENS}, environment {@code SGLANG_CLIP_MAX_NEW_TOKENS_ESTIMATION}, default 4096).
     */
    static final int CLIP_MAX_NEW_TOKENS = 4096;

    /** {@code chunkedPrefillSize} meaning chunked prefill is off ({@code rem_chunk_tokens is None}). */
    static final int NO_CHUNKING = Integer.MAX_VALUE;

    /** SGLang's {@code AddReqResult}. */
    enum AddReqResult {
        /** Admitted, and there is budget for more. */
        CONTINUE,
        /** Out of KV memory: stop admitting. */
        NO_TOKEN,
        /** Out of prefill budget (tokens or chunk): stop admitting. */
        OTHER
    }

    /**
     * An admitted request: its KV handle (its prefix now locked) and the tokens this batch prefills for it.
     *
     * @param chunked true if the prefill was cut to the chunk ({@code new_chunked_req})
     */
    record Admission(WaitingRequest request, RequestKv kv, int extendTokens, boolean chunked) {

        Admission {
            requireNonNull(request, "request is null");
            requireNonNull(kv, "kv is null");
        }
    }

    private final RadixCache cache;
    private final int pageSize;
    private double remTotalTokenOffset;
    private int curRemTokenOffset;
    private int remInputTokens;
    private int remChunkTokens;
    private final List<Admission> canRun = new ArrayList<>();

    /**
     * @param running the running batch, whose future decode tokens are reserved
     * @param newTokenRatio the scheduler's current {@link NewTokenRatio#value()}
     * @param maxPrefillTokens {@code --max-prefill-tokens}: the batch's prefill token budget
     * @param chunkedPrefillSize {@code --chunked-prefill-size}, or {@link #NO_CHUNKING}
     */
    PrefillAdder(RadixCache cache, List<Retraction.RunningRequest> running, double newTokenRatio,
            int maxPrefillTokens, int chunkedPrefillSize) {
        this.cache = requireNonNull(cache, "cache is null");
        this.pageSize = cache.pageSize();
        this.remTotalTokenOffset = reservedDecodeTokens(running, newTokenRatio);
        this.remInputTokens = maxPrefillTokens;
        this.remChunkTokens = chunkedPrefillSize;
    }

    /**
     * Decode tokens reserved for running requests: {@code new_token_ratio x min(max_new_tokens - outputs,
     * CLIP_MAX_NEW_TOKENS)} summed over them ({@code PrefillAdder.__init__}).
     */
    static double reservedDecodeTokens(List<Retraction.RunningRequest> running, double newTokenRatio) {
        double reserved = 0;
        for (Retraction.RunningRequest request : running) {
            reserved += Math.min(request.maxNewTokens() - request.outputTokens(), CLIP_MAX_NEW_TOKENS) * newTokenRatio;
        }
        return reserved;
    }

    /** KV tokens left for this batch after the reservations ({@code rem_total_tokens}). */
    double remTotalTokens() {
        return availableAndEvictable() - remTotalTokenOffset;
    }

    /** KV tokens left for this batch's inputs alone ({@code cur_rem_tokens}). */
    int curRemTokens() {
        return availableAndEvictable() - curRemTokenOffset;
    }

    private int availableAndEvictable() {
        return cache.pool().freeTokens() + cache.evictableSize();
    }

    int remInputTokens() {
        return remInputTokens;
    }

    List<Admission> canRun() {
        return List.copyOf(canRun);
    }

    int canRunSize() {
        return canRun.size();
    }

    private int ceilPaged(int tokens) {
        return (tokens + pageSize - 1) / pageSize * pageSize;
    }

    /**
     * Tries to admit {@code request}, whose prefix match ({@code prefixTokens}, {@code lastNode}) is set.
     */
    AddReqResult addOneRequest(WaitingRequest request) {
        if (request.lastNode == null) {
            throw new IllegalStateException(request + " was not matched against the cache");
        }
        int extendTokens = request.extendTokens();
        double totalTokens = extendTokens
                + Math.min(Math.max(request.maxNewTokens - request.outputTokens, 0), CLIP_MAX_NEW_TOKENS);
        int inputTokens = ceilPaged(extendTokens);
        if (totalTokens >= remTotalTokens()) {
            return AddReqResult.NO_TOKEN;
        }
        if (inputTokens >= remInputTokens && !canRun.isEmpty()) {
            return AddReqResult.OTHER;
        }
        // _lock_node: hold the prefix while checking, as locking it takes it out of the evictable tokens
        cache.incLockRef(request.lastNode);
        try {
            if (totalTokens >= remTotalTokens()) {
                return AddReqResult.NO_TOKEN;
            }
            RadixCache.MatchResult prefix = new RadixCache.MatchResult(request.prefixTokens, request.lastNode);
            if (inputTokens <= remChunkTokens) {
                canRun.add(new Admission(request, cache.lock(prefix), extendTokens, false));
                updatePrefillBudget(inputTokens, Math.min(request.maxNewTokens, CLIP_MAX_NEW_TOKENS));
            } else {
                int truncated = remChunkTokens / pageSize * pageSize;
                if (truncated <= 0) {
                    return AddReqResult.OTHER;
                }
                canRun.add(new Admission(request, cache.lock(prefix), truncated, true));
                updatePrefillBudget(truncated, 0);
            }
        } finally {
            cache.decLockRef(request.lastNode);
        }
        return budgetState();
    }

    // _update_prefill_budget
    private void updatePrefillBudget(int inputTokens, int maxNewTokens) {
        remTotalTokenOffset += inputTokens + maxNewTokens;
        curRemTokenOffset += inputTokens;
        remInputTokens -= inputTokens;
        if (remChunkTokens != NO_CHUNKING) {
            remChunkTokens -= inputTokens;
        }
    }

    // budget_state
    private AddReqResult budgetState() {
        if (remTotalTokens() <= 0 || curRemTokens() <= 0) {
            return AddReqResult.NO_TOKEN;
        }
        if (remInputTokens <= 0 || remChunkTokens <= 0) {
            return AddReqResult.OTHER;
        }
        return AddReqResult.CONTINUE;
    }
}
