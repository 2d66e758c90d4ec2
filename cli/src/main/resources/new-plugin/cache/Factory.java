package {{package}};

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import {{package}}.config.{{prefix}}Config;

/** The KV cache strategy {@code {{name}}}, selected with {@code cache: {strategy: {{name}}}}. */
final class {{component}}Factory implements KvCacheStrategyFactory<{{prefix}}Config> {

    @Override
    public String name() {
        return "{{name}}";
    }

    @Override
    public String description() {
        return "Caches nothing; reuses free blocks first in, first out (or last in, first out)";
    }

    @Override
    public Class<{{prefix}}Config> configType() {
        return {{prefix}}Config.class;
    }

    @Override
    public KvCacheStrategy create({{prefix}}Config config, CacheContext context) {
        return new {{component}}(config, context);
    }
}
