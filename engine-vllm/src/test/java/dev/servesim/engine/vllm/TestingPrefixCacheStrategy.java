package dev.servesim.engine.vllm;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;

/**
 * A small vLLM-like prefix cache for engine tests and the benchmark: free blocks reused least recently released
 * first (never-used blocks first, in id order), a hash index of registered blocks, lazy eviction on reuse. Checks
 * the protocol strictly. The free queue is a doubly linked list over block ids and the index a {@link LongIntMap},
 * so nothing boxes and every operation is O(1).
 */
final class TestingPrefixCacheStrategy implements KvCacheStrategy {

    private static final int NONE = -1;

    private final int[] previous;
    private final int[] next;
    private final boolean[] free;
    private final long[] hashOf;
    private final boolean[] hashed;
    private final LongIntMap index;
    private int head = NONE;
    private int tail = NONE;
    private int freeCount;
    private int cachedBlocks;
    private int peakCachedBlocks;
    private long queried;
    private long hits;
    private long evicted;

    TestingPrefixCacheStrategy(int blocks) {
        previous = new int[blocks];
        next = new int[blocks];
        free = new boolean[blocks];
        hashOf = new long[blocks];
        hashed = new boolean[blocks];
        index = new LongIntMap(blocks);
        for (int id = 0; id < blocks; id++) {
            append(id);
        }
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        int count = 0;
        while (count < maxBlocks && index.get(chain.hash(count)) >= 0) {
            count++;
        }
        queried += chain.tokens();
        hits += (long) count * chain.blockSize();
        if (count == 0) {
            return PrefixMatch.miss("MISS");
        }
        int[] found = new int[count];
        for (int k = 0; k < count; k++) {
            found[k] = index.get(chain.hash(k));
        }
        return new PrefixMatch(found, "HIT");
    }

    @Override
    public int freeBlocks() {
        return freeCount;
    }

    @Override
    public int allocate() {
        int id = head;
        if (id == NONE) {
            throw new IllegalStateException("no free block");
        }
        unlink(id);
        if (hashed[id]) {
            if (index.get(hashOf[id]) == id) {
                index.remove(hashOf[id]);
            }
            hashed[id] = false;
            cachedBlocks--;
            evicted++;
        }
        return id;
    }

    @Override
    public void acquire(int blockId) {
        if (!hashed[blockId] || !free[blockId]) {
            throw new IllegalStateException("acquiring block " + blockId + " which is not cached and free");
        }
        unlink(blockId);
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        if (free[blockId] || hashed[blockId]) {
            throw new IllegalStateException("registering block " + blockId + " which is free or already cached");
        }
        long hash = chain.hash(blockIndex);
        hashOf[blockId] = hash;
        hashed[blockId] = true;
        cachedBlocks++;
        peakCachedBlocks = Math.max(peakCachedBlocks, cachedBlocks);
        // as vLLM, the first block registered for a content is the one lookups find
        if (index.get(hash) < 0) {
            index.put(hash, blockId);
        }
    }

    @Override
    public void release(int blockId) {
        if (free[blockId]) {
            throw new IllegalStateException("block " + blockId + " released twice");
        }
        append(blockId);
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(queried, hits, evicted, cachedBlocks, peakCachedBlocks);
    }

    private void append(int id) {
        previous[id] = tail;
        next[id] = NONE;
        if (tail == NONE) {
            head = id;
        } else {
            next[tail] = id;
        }
        tail = id;
        free[id] = true;
        freeCount++;
    }

    private void unlink(int id) {
        int before = previous[id];
        int after = next[id];
        if (before == NONE) {
            head = after;
        } else {
            next[before] = after;
        }
        if (after == NONE) {
            tail = before;
        } else {
            previous[after] = before;
        }
        free[id] = false;
        freeCount--;
    }
}
