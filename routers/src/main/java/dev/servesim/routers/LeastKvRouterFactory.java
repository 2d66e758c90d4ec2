package dev.servesim.routers;

import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.routers.config.LeastKvRouterConfig;

/** Factory of the {@code least-kv} router. */
public final class LeastKvRouterFactory implements RouterFactory<LeastKvRouterConfig> {

    @Override
    public String name() {
        return "least-kv";
    }

    @Override
    public String description() {
        return "lowest KV usage as reported; ties to fewest outstanding, then round-robin";
    }

    @Override
    public Class<LeastKvRouterConfig> configType() {
        return LeastKvRouterConfig.class;
    }

    @Override
    public Router create(LeastKvRouterConfig config, RouterContext context) {
        return new LeastLoadedRouter(context.replicas(), true, false);
    }
}
