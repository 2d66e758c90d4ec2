package dev.servesim.routers;

import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.routers.config.LeastLoadedRouterConfig;

/** Factory of the {@code least-loaded} router. */
public final class LeastLoadedRouterFactory implements RouterFactory<LeastLoadedRouterConfig> {

    @Override
    public String name() {
        return "least-loaded";
    }

    @Override
    public String description() {
        return "fewest outstanding requests (as reported, or in flight); ties round-robin";
    }

    @Override
    public Class<LeastLoadedRouterConfig> configType() {
        return LeastLoadedRouterConfig.class;
    }

    @Override
    public Router create(LeastLoadedRouterConfig config, RouterContext context) {
        return new LeastLoadedRouter(context.replicas(), false, config.inFlight());
    }
}
