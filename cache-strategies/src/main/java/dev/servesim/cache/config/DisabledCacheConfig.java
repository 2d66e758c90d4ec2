package dev.servesim.cache.config;

/** The {@code disabled} strategy has no settings. */
public record DisabledCacheConfig() {}
