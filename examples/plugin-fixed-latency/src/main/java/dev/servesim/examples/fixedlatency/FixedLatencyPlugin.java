package dev.servesim.examples.fixedlatency;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.ServingEngineFactory;
import java.util.List;

/** The plugin's one entry class, found by ServiceLoader. */
public final class FixedLatencyPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "fixed-latency";
    }

    @Override
    public List<ServingEngineFactory<?>> engineFactories() {
        return List.of(new FixedLatencyEngineFactory());
    }
}
