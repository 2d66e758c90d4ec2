package dev.servesim.routers;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.router.RouterFactory;
import java.util.List;

/**
 * Built-in routers: {@code round-robin}, {@code random}, {@code weighted-random}, {@code least-loaded},
 * {@code least-kv}, {@code session-affinity} and {@code prefix-aware}.
 */
public final class RoutersPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "routers";
    }

    @Override
    public List<RouterFactory<?>> routerFactories() {
        return List.of(new RoundRobinRouterFactory(), new RandomRouterFactory(), new WeightedRandomRouterFactory(),
                new LeastLoadedRouterFactory(), new LeastKvRouterFactory(), new SessionAffinityRouterFactory(),
                new PrefixAwareRouterFactory());
    }
}
