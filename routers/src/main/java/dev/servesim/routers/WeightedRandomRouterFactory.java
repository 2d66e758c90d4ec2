package dev.servesim.routers;

import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.routers.config.WeightedRandomRouterConfig;

/** Factory of the {@code weighted-random} router. */
public final class WeightedRandomRouterFactory implements RouterFactory<WeightedRandomRouterConfig> {

    @Override
    public String name() {
        return "weighted-random";
    }

    @Override
    public String description() {
        return "a random replica, chosen with probability proportional to its weight";
    }

    @Override
    public Class<WeightedRandomRouterConfig> configType() {
        return WeightedRandomRouterConfig.class;
    }

    @Override
    public Router create(WeightedRandomRouterConfig config, RouterContext context) {
        if (config.weights().size() != context.replicas()) {
            throw dev.servesim.api.ServesimException.config("weights", "has " + config.weights().size()
                    + " weights but the cluster has " + context.replicas() + " replicas; give one per replica");
        }
        return new RandomRouter(context.random().stream("choice"), config.weights());
    }
}
