package dev.servesim.routers;

import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.routers.config.SessionAffinityRouterConfig;

/** Factory of the {@code session-affinity} router. */
public final class SessionAffinityRouterFactory implements RouterFactory<SessionAffinityRouterConfig> {

    @Override
    public String name() {
        return "session-affinity";
    }

    @Override
    public String description() {
        return "a session stays on its replica; new sessions least-loaded";
    }

    @Override
    public Class<SessionAffinityRouterConfig> configType() {
        return SessionAffinityRouterConfig.class;
    }

    @Override
    public Router create(SessionAffinityRouterConfig config, RouterContext context) {
        return new SessionAffinityRouter(context.clock(), context.replicas(), config.idleTimeout());
    }
}
