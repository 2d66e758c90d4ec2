package dev.servesim.runner.simulation;

import dev.servesim.api.cache.KvCacheEvents;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

/**
 * The blocks one replica published as cached, by hash, as a KV-cache-aware router keeps them from the replica's KV
 * events: a {@link PublishedKvCache} feeds it from a cache strategy, an engine with a cache of its own (sglang's radix
 * tree) through {@link KvCacheEvents}. A hash stays published while more blocks were stored with it than removed.
 */
final class PublishedBlocks implements KvCacheEvents {

    // hash -> number of blocks publishing it (a cache may keep one content in two blocks)
    private final Long2IntOpenHashMap published = new Long2IntOpenHashMap();
    private long storedEvents;
    private long removedEvents;

    /** True if the replica published that it holds a block with this hash. */
    boolean contains(long hash) {
        return published.get(hash) > 0;
    }

    @Override
    public void blockStored(long blockHash) {
        published.addTo(blockHash, 1);
        storedEvents++;
    }

    @Override
    public void blockRemoved(long blockHash) {
        if (published.addTo(blockHash, -1) <= 1) {
            published.remove(blockHash);
        }
        removedEvents++;
    }

    long storedEvents() {
        return storedEvents;
    }

    long removedEvents() {
        return removedEvents;
    }
}
