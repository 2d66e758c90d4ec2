package dev.servesim.api.cache;

/**
 * Prefix-cache counters of one strategy instance.
 *
 * @param queriedTokens tokens looked up (the request's token count at each lookup)
 * @param hitTokens tokens found cached
 * @param evictedBlocks cached blocks whose content was dropped to make room
 * @param cachedBlocks blocks that currently hold registered content (referenced or free)
 * @param peakCachedBlocks the most blocks that held registered content at any time
 */
public record CacheStats(long queriedTokens, long hitTokens, long evictedBlocks, int cachedBlocks,
        int peakCachedBlocks) {

    /** All zero. */
    public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0);
}
