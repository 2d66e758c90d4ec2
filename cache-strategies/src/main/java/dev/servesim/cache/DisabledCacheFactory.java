package dev.servesim.cache;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.cache.config.DisabledCacheConfig;

/** Factory of the {@code disabled} strategy. */
public final class DisabledCacheFactory implements KvCacheStrategyFactory<DisabledCacheConfig> {

    @Override
    public String name() {
        return "disabled";
    }

    @Override
    public String description() {
        return "No prefix caching: every prompt token is computed; freed blocks are reused in free order";
    }

    @Override
    public Class<DisabledCacheConfig> configType() {
        return DisabledCacheConfig.class;
    }

    @Override
    public KvCacheStrategy create(DisabledCacheConfig config, CacheContext context) {
        return new DisabledCache(context.blocks());
    }
}
