package dev.servesim.cache;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import java.util.List;

/** Built-in KV cache strategies: {@code disabled}, {@code session}, {@code block-hash} and {@code radix}. */
public final class CachePlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
        return List.of(new DisabledCacheFactory(), new SessionCacheFactory(), new BlockHashCacheFactory(),
                new RadixCacheFactory());
    }
}
