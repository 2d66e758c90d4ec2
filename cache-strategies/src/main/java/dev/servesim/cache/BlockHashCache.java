package dev.servesim.cache;

import static dev.servesim.cache.ProtocolViolations.checkBlockId;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;

/**
 * vLLM's automatic prefix caching (vllm/v1/core/block_pool.py, v0.15): one free queue for every unreferenced block,
 * initially in id order; allocation pops its head and evicts the content the block held; a block whose last reference
 * is dropped is appended at its tail, keeping its content; a hit on a free block unlinks it from the middle. Since
 * the engine releases a request's blocks last block first, the queue's head is the least recently freed block and
 * a chain's tail is evicted before its prefix. Lookups walk the request's chained block hashes until the first one
 * not cached; blocks with the same hash are not de-duplicated and a lookup finds the earliest registered copy.
 */
final class BlockHashCache implements KvCacheStrategy {

    private final int blocks;
    private final int blockSize;
    private final BlockQueue free;
    private final BlockHashIndex index;
    private final CachedPrefix prefix;
    private final CacheCounters counters = new CacheCounters();

    BlockHashCache(int blocks, int blockSize) {
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.free = BlockQueue.allInIdOrder(blocks);
        this.index = new BlockHashIndex(blocks);
        this.prefix = new CachedPrefix(index);
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        int limit = CachedPrefix.limit(chain, maxBlocks);
        int hits = prefix.find(chain, limit);
        counters.lookup(chain.tokens(), hits * blockSize);
        return prefix.match(hits, PrefixEvents.of(hits, limit));
    }

    @Override
    public int freeBlocks() {
        return free.size();
    }

    @Override
    public int allocate() {
        if (free.isEmpty()) {
            throw new IllegalStateException("no free KV block");
        }
        int block = free.popHead();
        // as vLLM _maybe_evict_cached_block(): eviction is lazy, when a cached block is reused
        if (index.isCached(block)) {
            index.remove(block);
            counters.evicted();
        }
        return block;
    }

    @Override
    public void acquire(int blockId) {
        checkBlockId(blockId, blocks);
        if (!free.contains(blockId) || !index.isCached(blockId)) {
            throw ProtocolViolations.acquiredNotCachedFree(blockId);
        }
        free.remove(blockId);
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        checkBlockId(blockId, blocks);
        if (free.contains(blockId)) {
            throw ProtocolViolations.registeredFree(blockId);
        }
        if (index.isCached(blockId)) {
            throw ProtocolViolations.registeredTwice(blockId);
        }
        index.add(blockId, chain.hash(blockIndex));
        counters.cached();
    }

    @Override
    public void release(int blockId) {
        checkBlockId(blockId, blocks);
        if (free.contains(blockId)) {
            throw ProtocolViolations.freedTwice(blockId);
        }
        free.pushTail(blockId);
    }

    @Override
    public CacheStats stats() {
        return counters.snapshot();
    }

    /** Checks the internal state against itself; O(blocks), for tests. */
    void verify() {
        int queued = 0;
        for (int id = free.head(); id >= 0; id = free.next(id)) {
            queued++;
        }
        if (queued != free.size()) {
            throw ProtocolViolations.corrupted("free queue links " + queued + " blocks but counts " + free.size());
        }
        int cached = 0;
        for (int id = 0; id < blocks; id++) {
            if (index.isCached(id)) {
                cached++;
                if (index.find(index.hashOf(id)) < 0) {
                    throw ProtocolViolations.corrupted("cached block " + id + " cannot be found by its hash");
                }
            }
        }
        if (cached != index.size() || cached != counters.cachedBlocks()) {
            throw ProtocolViolations.corrupted(cached + " cached blocks, index says " + index.size()
                    + ", counters say " + counters.cachedBlocks());
        }
    }
}
