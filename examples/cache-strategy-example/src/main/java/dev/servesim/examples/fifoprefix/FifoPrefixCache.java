package dev.servesim.examples.fifoprefix;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import java.util.Arrays;

/**
 * A prefix cache that matches like vLLM (the longest prefix of the request's chained block hashes that is cached)
 * but evicts in first-in first-out order of registration: when no free block is empty, the free block whose content
 * was registered longest ago is reused, however recently it was hit. Free blocks without content are reused first,
 * oldest freed first. One block per content: a block whose content is already cached is not registered again.
 *
 * <p>Costs: lookups O(hit blocks); an eviction walks the registration order past referenced blocks, so it is
 * O(referenced blocks registered before the victim).
 */
final class FifoPrefixCache implements KvCacheStrategy {

    private final int blocks;
    private final int blockSize;
    private final int minHitBlocks;
    private final HashIndex index;
    private final long[] hashOf;
    private final boolean[] free;
    /** Free blocks that hold no content, in the order they were freed. */
    private final BlockList empty;
    /** Blocks that hold content, free or referenced, in the order their content was registered. */
    private final BlockList registered;
    private int freeCount;
    private long queriedTokens;
    private long hitTokens;
    private long evictedBlocks;
    private int peakCachedBlocks;

    FifoPrefixCache(int blocks, int blockSize, int minHitBlocks) {
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.minHitBlocks = minHitBlocks;
        this.index = new HashIndex(blocks);
        this.hashOf = new long[blocks];
        this.free = new boolean[blocks];
        this.empty = new BlockList(blocks);
        this.registered = new BlockList(blocks);
        for (int id = 0; id < blocks; id++) {
            free[id] = true;
            empty.append(id);
        }
        freeCount = blocks;
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        int limit = Math.max(0, Math.min(maxBlocks, chain.fullBlocks()));
        int[] found = new int[limit];
        int hits = 0;
        while (hits < limit) {
            int block = index.get(chain.hash(hits));
            if (block < 0) {
                break;
            }
            found[hits++] = block;
        }
        if (hits < minHitBlocks) {
            hits = 0;
        }
        queriedTokens += chain.tokens();
        hitTokens += (long) hits * blockSize;
        if (hits == 0) {
            return PrefixMatch.miss("MISS");
        }
        return new PrefixMatch(Arrays.copyOf(found, hits), hits == limit ? "HIT" : "PARTIAL_HIT");
    }

    @Override
    public int freeBlocks() {
        return freeCount;
    }

    @Override
    public int allocate() {
        int block = empty.first();
        if (block >= 0) {
            empty.remove(block);
        } else {
            block = registered.first();
            while (block >= 0 && !free[block]) {
                block = registered.next(block);
            }
            if (block < 0) {
                throw new IllegalStateException("no free KV block");
            }
            registered.remove(block);
            index.remove(hashOf[block]);
            evictedBlocks++;
        }
        free[block] = false;
        freeCount--;
        return block;
    }

    @Override
    public void acquire(int blockId) {
        check(blockId);
        if (!free[blockId] || !registered.contains(blockId)) {
            throw violation("block " + blockId + " was acquired but is not a free block holding content");
        }
        free[blockId] = false;
        freeCount--;
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        check(blockId);
        if (free[blockId] || registered.contains(blockId)) {
            throw violation("block " + blockId + " was registered while free or already holding content");
        }
        long hash = chain.hash(blockIndex);
        if (index.get(hash) >= 0) {
            return;
        }
        hashOf[blockId] = hash;
        index.put(hash, blockId);
        registered.append(blockId);
        peakCachedBlocks = Math.max(peakCachedBlocks, registered.size());
    }

    @Override
    public void release(int blockId) {
        check(blockId);
        if (free[blockId]) {
            throw violation("KV block " + blockId + " freed twice");
        }
        free[blockId] = true;
        freeCount++;
        if (!registered.contains(blockId)) {
            empty.append(blockId);
        }
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(queriedTokens, hitTokens, evictedBlocks, registered.size(), peakCachedBlocks);
    }

    private void check(int blockId) {
        if (blockId < 0 || blockId >= blocks) {
            throw violation("KV block " + blockId + " is outside the pool of " + blocks + " blocks");
        }
    }

    private static ServesimException violation(String message) {
        return new ServesimException(ErrorKind.INVARIANT, message);
    }
}
