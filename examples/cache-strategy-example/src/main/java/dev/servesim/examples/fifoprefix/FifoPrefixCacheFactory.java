package dev.servesim.examples.fifoprefix;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.examples.fifoprefix.config.FifoPrefixConfig;

/** Factory of the {@code fifo-prefix} strategy. */
public final class FifoPrefixCacheFactory implements KvCacheStrategyFactory<FifoPrefixConfig> {

    @Override
    public String name() {
        return "fifo-prefix";
    }

    @Override
    public String description() {
        return "Example prefix cache: longest cached prefix, oldest registered block evicted first";
    }

    @Override
    public Class<FifoPrefixConfig> configType() {
        return FifoPrefixConfig.class;
    }

    @Override
    public KvCacheStrategy create(FifoPrefixConfig config, CacheContext context) {
        return new FifoPrefixCache(context.blocks(), context.blockSizeTokens(), config.minHitBlocks());
    }
}
