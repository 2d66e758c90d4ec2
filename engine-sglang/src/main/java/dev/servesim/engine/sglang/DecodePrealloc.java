package dev.servesim.engine.sglang;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The decode side of prefill/decode disaggregation, SGLang's {@code DecodePreallocQueue}
 * (python/sglang/srt/disaggregation/decode.py) reduced to its queue: requests whose prompt's KV cache was computed by a
 * prefill server wait here, first come first served, until the pool can take that KV.
 *
 * <p>A request is announced ({@link #expect}) before the engine takes it in through its normal submission, so that it
 * gets the same checks and delays as any request; the scheduler then {@link #claim}s it instead of queueing it for
 * prefill. Owned by one {@link SglangScheduler}.
 */
final class DecodePrealloc {

    /**
     * Decode tokens SGLang's prealloc queue keeps free per request beyond its prompt
     * ({@code SGLANG_NUM_RESERVED_DECODE_TOKENS}, default 512).
     */
    static final int NUM_RESERVED_DECODE_TOKENS = 512;

    // request id -> prompt tokens with their KV transferred; looked up only, never iterated
    private final Map<Long, Integer> expected = new HashMap<>();
    private final Deque<SglangRequest> queue = new ArrayDeque<>();

    /** Request {@code id} will arrive with the KV of its first {@code remoteTokens} prompt tokens. */
    void expect(long id, int remoteTokens) {
        expected.put(id, remoteTokens);
    }

    /** Queues {@code state} here if it was announced, and only its first time (a retraction recomputes it). */
    boolean claim(SglangRequest state) {
        Integer remote = expected.remove(state.request.id());
        if (remote == null) {
            return false;
        }
        state.remoteTokens = remote;
        queue.addLast(state);
        return true;
    }

    SglangRequest peek() {
        return queue.peekFirst();
    }

    SglangRequest poll() {
        return queue.pollFirst();
    }

    int size() {
        return queue.size();
    }

    /**
     * Slots SGLang's {@code pop_preallocated} requires free for a request: its transferred prompt, the slot of the
     * token it computes first, and {@link #NUM_RESERVED_DECODE_TOKENS} (no more than it may generate).
     */
    static int requiredTokens(SglangRequest state) {
        return state.remoteTokens + 1 + Math.min(NUM_RESERVED_DECODE_TOKENS, state.maxNewTokens);
    }
}
