package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.loadgen.config.RemoteConfig;

/** Factory of the {@code remote} framework. */
final class RemoteEngineFactory implements ServingEngineFactory<RemoteConfig> {

    static final String NAME = "remote";

    private final RemoteSession session;

    RemoteEngineFactory(RemoteSession session) {
        this.session = requireNonNull(session, "session is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "A remote OpenAI-compatible server, driven in real time by servesim loadgen";
    }

    @Override
    public Class<RemoteConfig> configType() {
        return RemoteConfig.class;
    }

    @Override
    public ServingEngine create(RemoteConfig config, EngineContext context) {
        RemoteEngine engine = new RemoteEngine(config, context, session);
        session.register(engine);
        return engine;
    }
}
