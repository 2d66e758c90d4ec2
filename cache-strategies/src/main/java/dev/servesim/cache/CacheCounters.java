package dev.servesim.cache;

import dev.servesim.api.cache.CacheStats;

/** The counters behind {@link CacheStats}, updated in O(1) on each operation so that a snapshot is cheap. */
final class CacheCounters {

    private long queriedTokens;
    private long hitTokens;
    private long evictedBlocks;
    private int cachedBlocks;
    private int peakCachedBlocks;

    /** A lookup of a request of {@code tokens} tokens found {@code hitTokens} cached. */
    void lookup(int tokens, int hitTokens) {
        queriedTokens += tokens;
        this.hitTokens += hitTokens;
    }

    /** A block started holding registered content. */
    void cached() {
        cachedBlocks++;
        if (cachedBlocks > peakCachedBlocks) {
            peakCachedBlocks = cachedBlocks;
        }
    }

    /** A block's content was dropped to make room. */
    void evicted() {
        cachedBlocks--;
        evictedBlocks++;
    }

    int cachedBlocks() {
        return cachedBlocks;
    }

    CacheStats snapshot() {
        return new CacheStats(queriedTokens, hitTokens, evictedBlocks, cachedBlocks, peakCachedBlocks);
    }
}
