package dev.servesim.api.engine;

import dev.servesim.api.ExtensionFactory;

/**
 * Creates serving-engine replicas, e.g. {@code vllm}. Selected by {@code framework.name} in the configuration.
 *
 * @param <C> configuration record
 */
public interface ServingEngineFactory<C extends Record> extends ExtensionFactory<C> {

    /** Creates one engine replica. Called once per replica before the simulation starts. */
    ServingEngine create(C config, EngineContext context);
}
