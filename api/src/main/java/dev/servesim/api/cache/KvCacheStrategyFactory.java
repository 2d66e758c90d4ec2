package dev.servesim.api.cache;

import dev.servesim.api.ExtensionFactory;

/**
 * Creates KV cache strategies, e.g. {@code disabled} or {@code block-hash}. Selected by {@code cache.strategy}.
 *
 * @param <C> configuration record
 */
public interface KvCacheStrategyFactory<C extends Record> extends ExtensionFactory<C> {

    /** Creates the strategy for one engine replica's block pool. */
    KvCacheStrategy create(C config, CacheContext context);
}
