package dev.servesim.routers;

import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.routers.config.RandomRouterConfig;

/** Factory of the {@code random} router. */
public final class RandomRouterFactory implements RouterFactory<RandomRouterConfig> {

    @Override
    public String name() {
        return "random";
    }

    @Override
    public String description() {
        return "a uniformly random replica";
    }

    @Override
    public Class<RandomRouterConfig> configType() {
        return RandomRouterConfig.class;
    }

    @Override
    public Router create(RandomRouterConfig config, RouterContext context) {
        return new RandomRouter(context.random().stream("choice"), null);
    }
}
