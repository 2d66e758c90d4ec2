package dev.servesim.cache;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;

/**
 * No reuse. Free blocks form a first-in first-out ring, initially in id order, the order vLLM's free queue has with
 * prefix caching off (vllm/v1/core/block_pool.py: pop from the head, freed blocks appended at the tail).
 */
final class DisabledCache implements KvCacheStrategy {

    static final String MISS = "MISS";

    private final int[] ring;
    private final boolean[] free;
    private int head;
    private int count;
    private long queriedTokens;

    DisabledCache(int blocks) {
        ring = new int[blocks];
        free = new boolean[blocks];
        for (int id = 0; id < blocks; id++) {
            ring[id] = id;
            free[id] = true;
        }
        count = blocks;
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        queriedTokens += chain.tokens();
        return PrefixMatch.miss(MISS);
    }

    @Override
    public int freeBlocks() {
        return count;
    }

    @Override
    public int allocate() {
        if (count == 0) {
            throw new IllegalStateException("no free KV block");
        }
        int id = ring[head];
        head = (head + 1) % ring.length;
        count--;
        free[id] = false;
        return id;
    }

    @Override
    public void acquire(int blockId) {
        throw new ServesimException(ErrorKind.INVARIANT, "disabled cache never matches, yet block " + blockId
                + " was acquired");
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        // nothing is cached
    }

    @Override
    public void release(int blockId) {
        if (free[blockId]) {
            throw new ServesimException(ErrorKind.INVARIANT, "KV block " + blockId + " freed twice");
        }
        free[blockId] = true;
        ring[(head + count) % ring.length] = blockId;
        count++;
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(queriedTokens, 0, 0, 0, 0);
    }
}
