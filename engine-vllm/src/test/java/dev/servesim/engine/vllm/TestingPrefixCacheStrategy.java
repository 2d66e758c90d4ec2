package dev.servesim.engine.vllm;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * A small vLLM-like prefix cache for engine tests: free blocks reused least recently released first, a hash index
 * of registered blocks, lazy eviction on reuse. Checks the protocol strictly.
 */
final class TestingPrefixCacheStrategy implements KvCacheStrategy {

    private final LinkedHashSet<Integer> free = new LinkedHashSet<>();
    private final Map<Long, Integer> index = new HashMap<>();
    private final long[] hashOf;
    private final boolean[] hashed;
    private long queried;
    private long hits;
    private long evicted;

    TestingPrefixCacheStrategy(int blocks) {
        hashOf = new long[blocks];
        hashed = new boolean[blocks];
        for (int id = 0; id < blocks; id++) {
            free.add(id);
        }
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        int[] found = new int[maxBlocks];
        int count = 0;
        while (count < maxBlocks) {
            Integer id = index.get(chain.hash(count));
            if (id == null) {
                break;
            }
            found[count++] = id;
        }
        queried += chain.tokens();
        hits += (long) count * chain.blockSize();
        return count == 0 ? PrefixMatch.miss("MISS") : new PrefixMatch(Arrays.copyOf(found, count), "HIT");
    }

    @Override
    public int freeBlocks() {
        return free.size();
    }

    @Override
    public int allocate() {
        Iterator<Integer> first = free.iterator();
        if (!first.hasNext()) {
            throw new IllegalStateException("no free block");
        }
        int id = first.next();
        first.remove();
        if (hashed[id]) {
            index.remove(hashOf[id], id);
            hashed[id] = false;
            evicted++;
        }
        return id;
    }

    @Override
    public void acquire(int blockId) {
        if (!hashed[blockId] || !free.remove(blockId)) {
            throw new IllegalStateException("acquiring block " + blockId + " which is not cached and free");
        }
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        if (free.contains(blockId) || hashed[blockId]) {
            throw new IllegalStateException("registering block " + blockId + " which is free or already cached");
        }
        hashOf[blockId] = chain.hash(blockIndex);
        hashed[blockId] = true;
        index.putIfAbsent(hashOf[blockId], blockId);
    }

    @Override
    public void release(int blockId) {
        if (!free.add(blockId)) {
            throw new IllegalStateException("block " + blockId + " released twice");
        }
    }

    @Override
    public CacheStats stats() {
        int cached = 0;
        for (boolean value : hashed) {
            cached += value ? 1 : 0;
        }
        return new CacheStats(queried, hits, evicted, cached, cached);
    }
}
