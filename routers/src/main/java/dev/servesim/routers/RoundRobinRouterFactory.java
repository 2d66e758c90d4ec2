package dev.servesim.routers;

import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.routers.config.RoundRobinRouterConfig;

/** Factory of the {@code round-robin} router. */
public final class RoundRobinRouterFactory implements RouterFactory<RoundRobinRouterConfig> {

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public String description() {
        return "replicas in turn, in arrival order";
    }

    @Override
    public Class<RoundRobinRouterConfig> configType() {
        return RoundRobinRouterConfig.class;
    }

    @Override
    public Router create(RoundRobinRouterConfig config, RouterContext context) {
        return new RoundRobinRouter();
    }
}
