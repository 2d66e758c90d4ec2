package dev.servesim.cache;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.cache.config.BlockHashCacheConfig;

/** Factory of the {@code block-hash} strategy. */
public final class BlockHashCacheFactory implements KvCacheStrategyFactory<BlockHashCacheConfig> {

    @Override
    public String name() {
        return "block-hash";
    }

    @Override
    public String description() {
        return "vLLM automatic prefix caching: longest cached prefix, least recently freed block evicted first";
    }

    @Override
    public Class<BlockHashCacheConfig> configType() {
        return BlockHashCacheConfig.class;
    }

    @Override
    public KvCacheStrategy create(BlockHashCacheConfig config, CacheContext context) {
        return new BlockHashCache(context.blocks(), context.blockSizeTokens());
    }
}
