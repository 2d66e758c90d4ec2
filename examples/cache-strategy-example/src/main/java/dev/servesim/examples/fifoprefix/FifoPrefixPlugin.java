package dev.servesim.examples.fifoprefix;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import java.util.List;

/** The plugin's one entry class, found by ServiceLoader. */
public final class FifoPrefixPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "cache-strategy-example";
    }

    @Override
    public List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
        return List.of(new FifoPrefixCacheFactory());
    }
}
