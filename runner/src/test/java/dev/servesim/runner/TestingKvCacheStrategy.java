package dev.servesim.runner;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import java.util.ArrayDeque;

/**
 * A strategy that caches nothing: free blocks are reused first in, first out. Checks the protocol (no double
 * release, no allocation from an empty pool) so engine tests catch block leaks.
 */
final class TestingKvCacheStrategy implements KvCacheStrategy {

    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final boolean[] isFree;

    TestingKvCacheStrategy(int blocks) {
        isFree = new boolean[blocks];
        for (int id = 0; id < blocks; id++) {
            free.addLast(id);
            isFree[id] = true;
        }
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        return PrefixMatch.miss("MISS");
    }

    @Override
    public int freeBlocks() {
        return free.size();
    }

    @Override
    public int allocate() {
        Integer id = free.pollFirst();
        if (id == null) {
            throw new IllegalStateException("no free block");
        }
        isFree[id] = false;
        return id;
    }

    @Override
    public void acquire(int blockId) {
        throw new IllegalStateException("nothing is cached, so no block can be acquired: " + blockId);
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        if (isFree[blockId]) {
            throw new IllegalStateException("registering free block " + blockId);
        }
    }

    @Override
    public void release(int blockId) {
        if (isFree[blockId]) {
            throw new IllegalStateException("block " + blockId + " released twice");
        }
        isFree[blockId] = true;
        free.addLast(blockId);
    }

    @Override
    public CacheStats stats() {
        return CacheStats.EMPTY;
    }
}
