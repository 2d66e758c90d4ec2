package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.ServingEngineFactory;
import java.util.List;

/**
 * The in-process plugin of {@code servesim loadgen}: framework {@code remote}. Not provided through
 * {@link java.util.ServiceLoader}: it exists only for the run of one loadgen command, whose session it carries.
 */
final class RemotePlugin implements ServesimPlugin {

    private final RemoteSession session;

    RemotePlugin(RemoteSession session) {
        this.session = requireNonNull(session, "session is null");
    }

    @Override
    public String name() {
        return "loadgen";
    }

    @Override
    public List<ServingEngineFactory<?>> engineFactories() {
        return List.of(new RemoteEngineFactory(session));
    }
}
