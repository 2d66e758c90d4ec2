package dev.servesim.routers;

import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.routers.config.PrefixAwareRouterConfig;

/** Factory of the {@code prefix-aware} router. */
public final class PrefixAwareRouterFactory implements RouterFactory<PrefixAwareRouterConfig> {

    @Override
    public String name() {
        return "prefix-aware";
    }

    @Override
    public String description() {
        return "most cached prompt blocks (from published cache events), balanced against load";
    }

    @Override
    public Class<PrefixAwareRouterConfig> configType() {
        return PrefixAwareRouterConfig.class;
    }

    @Override
    public Router create(PrefixAwareRouterConfig config, RouterContext context) {
        return new PrefixAwareRouter(context.replicas(), config.cacheWeight(), config.loadWeight());
    }
}
