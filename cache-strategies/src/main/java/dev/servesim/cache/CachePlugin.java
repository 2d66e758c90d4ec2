package dev.servesim.cache;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import java.util.List;

/** Built-in KV cache strategies. */
public final class CachePlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
        return List.of(new DisabledCacheFactory());
    }
}
