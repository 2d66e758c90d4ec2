package dev.servesim.api.cache;

/**
 * Prefix-cache counters of one strategy instance.
 *
 * @param queriedTokens tokens looked up (the request's token count at each lookup)
 * @param hitTokens tokens found cached
 * @param evictedBlocks cached blocks whose content was dropped to make room
 * @param cachedBlocks blocks that currently hold registered content (referenced or free)
 */
public record CacheStats(long queriedTokens, long hitTokens, long evictedBlocks, int cachedBlocks) {

    /** All zero. */
    public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0);
}
