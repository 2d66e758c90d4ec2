package dev.servesim.runner.simulation;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;

/**
 * A replica's cache strategy as the engine drives it, plus the cache events the replica publishes to the router, as
 * vLLM publishes KV events ({@code BlockStored}, {@code BlockRemoved}) for KV-cache-aware routers such as llm-d's:
 * a block is stored when the strategy took its content in {@link #register} (its count of cached blocks grew), and
 * evicted when the strategy hands the block out again for new content ({@link #allocate}). The published set
 * ({@link PublishedBlocks}) is what the router may use; it never looks at the strategy itself. Needs no change to the
 * cache SPI.
 */
final class PublishedKvCache implements KvCacheStrategy {

    private final KvCacheStrategy delegate;
    private final long[] blockHash;
    private final boolean[] holdsHash;
    private final PublishedBlocks published;

    PublishedKvCache(KvCacheStrategy delegate, int blocks, PublishedBlocks published) {
        this.delegate = delegate;
        this.blockHash = new long[blocks];
        this.holdsHash = new boolean[blocks];
        this.published = published;
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        return delegate.match(request, chain, maxBlocks);
    }

    @Override
    public int freeBlocks() {
        return delegate.freeBlocks();
    }

    @Override
    public int allocate() {
        int block = delegate.allocate();
        if (block >= 0 && block < holdsHash.length && holdsHash[block]) {
            unpublish(block);
        }
        return block;
    }

    @Override
    public void acquire(int blockId) {
        delegate.acquire(blockId);
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        int before = delegate.stats().cachedBlocks();
        delegate.register(blockId, request, chain, blockIndex);
        if (delegate.stats().cachedBlocks() > before && blockId >= 0 && blockId < holdsHash.length) {
            if (holdsHash[blockId]) {
                unpublish(blockId);
            }
            long hash = chain.hash(blockIndex);
            blockHash[blockId] = hash;
            holdsHash[blockId] = true;
            published.blockStored(hash);
        }
    }

    @Override
    public void release(int blockId) {
        delegate.release(blockId);
    }

    @Override
    public CacheStats stats() {
        return delegate.stats();
    }

    private void unpublish(int block) {
        holdsHash[block] = false;
        published.blockRemoved(blockHash[block]);
    }
}
