package org.example.compat;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/** A hash index over the pool; free blocks are reused least recently freed first, dropping what they cached. */
final class CompatCache implements KvCacheStrategy {

    private final int blockSize;
    private final Map<Long, Integer> blockOfHash = new HashMap<>();
    private final long[] hashOfBlock;
    private final boolean[] cached;
    private final LinkedHashSet<Integer> free = new LinkedHashSet<>();
    private long queriedTokens;
    private long hitTokens;
    private long evicted;
    private int peak;

    CompatCache(int blocks, int blockSize) {
        this.blockSize = blockSize;
        this.hashOfBlock = new long[blocks];
        this.cached = new boolean[blocks];
        for (int id = 0; id < blocks; id++) {
            free.add(id);
        }
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        int limit = Math.max(0, Math.min(maxBlocks, chain.fullBlocks()));
        int[] found = new int[limit];
        int hits = 0;
        while (hits < limit) {
            Integer block = blockOfHash.get(chain.hash(hits));
            if (block == null) {
                break;
            }
            found[hits++] = block;
        }
        queriedTokens += chain.tokens();
        hitTokens += (long) hits * blockSize;
        return hits == 0 ? PrefixMatch.miss("MISS") : new PrefixMatch(Arrays.copyOf(found, hits), "HIT");
    }

    @Override
    public int freeBlocks() {
        return free.size();
    }

    @Override
    public int allocate() {
        Integer block = free.iterator().next();
        free.remove(block);
        if (cached[block]) {
            blockOfHash.remove(hashOfBlock[block]);
            cached[block] = false;
            evicted++;
        }
        return block;
    }

    @Override
    public void acquire(int blockId) {
        if (!free.remove(blockId)) {
            throw new IllegalStateException("block " + blockId + " is not free");
        }
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        long hash = chain.hash(blockIndex);
        if (!blockOfHash.containsKey(hash)) {
            blockOfHash.put(hash, blockId);
            hashOfBlock[blockId] = hash;
            cached[blockId] = true;
            peak = Math.max(peak, blockOfHash.size());
        }
    }

    @Override
    public void release(int blockId) {
        free.add(blockId);
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(queriedTokens, hitTokens, evicted, blockOfHash.size(), peak);
    }
}
