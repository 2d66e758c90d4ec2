package dev.servesim.cache.config;

/** The {@code radix} strategy (SGLang radix cache, LRU leaf eviction) has no settings. */
public record RadixCacheConfig() {}
