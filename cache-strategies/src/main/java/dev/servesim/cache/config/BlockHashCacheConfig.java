package dev.servesim.cache.config;

/** The {@code block-hash} strategy (vLLM automatic prefix caching) has no settings: it behaves as vLLM does. */
public record BlockHashCacheConfig() {}
