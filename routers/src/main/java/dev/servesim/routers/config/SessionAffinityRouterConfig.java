package dev.servesim.routers.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;

/**
 * The {@code session-affinity} router: a session stays on the replica of its first request while it has a request in
 * flight or ended one less than {@code idle_timeout} seconds ago; after that it is placed again, least-loaded.
 *
 * @param idleTimeout seconds a session without requests in flight keeps its replica (default 300)
 */
public record SessionAffinityRouterConfig(Double idleTimeout) {

    public SessionAffinityRouterConfig {
        idleTimeout = nonNegative("idle_timeout", orDefault(idleTimeout, 300.0));
    }
}
