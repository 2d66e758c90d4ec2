package dev.servesim.cache;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.cache.config.RadixCacheConfig;

/** Factory of the {@code radix} strategy. */
public final class RadixCacheFactory implements KvCacheStrategyFactory<RadixCacheConfig> {

    @Override
    public String name() {
        return "radix";
    }

    @Override
    public String description() {
        return "SGLang radix cache over blocks: uncached free blocks reused first, then least recently used leaves";
    }

    @Override
    public Class<RadixCacheConfig> configType() {
        return RadixCacheConfig.class;
    }

    @Override
    public KvCacheStrategy create(RadixCacheConfig config, CacheContext context) {
        return new RadixCache(context.blocks(), context.blockSizeTokens());
    }
}
