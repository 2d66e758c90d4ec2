package dev.servesim.api.router;

import dev.servesim.api.ExtensionFactory;

/**
 * Creates routers, e.g. {@code round-robin} or {@code prefix-aware}. Selected by {@code cluster.router.name}.
 *
 * @param <C> configuration record
 */
public interface RouterFactory<C extends Record> extends ExtensionFactory<C> {

    /**
     * Creates the run's router. Configuration that depends on the cluster (e.g. one weight per replica) is checked
     * here against {@code context}, failing with a {@link dev.servesim.api.ErrorKind#CONFIG} exception naming the key.
     */
    Router create(C config, RouterContext context);
}
