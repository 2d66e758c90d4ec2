package dev.servesim.examples.fixedlatency;

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.examples.fixedlatency.config.FixedLatencyConfig;

/** Factory of the {@code fixed-latency} framework. */
public final class FixedLatencyEngineFactory implements ServingEngineFactory<FixedLatencyConfig> {

    @Override
    public String name() {
        return "fixed-latency";
    }

    @Override
    public String description() {
        return "Mock engine: constant TTFT and inter-token latency, unlimited batch (for testing routers and dashboards)";
    }

    @Override
    public Class<FixedLatencyConfig> configType() {
        return FixedLatencyConfig.class;
    }

    @Override
    public ServingEngine create(FixedLatencyConfig config, EngineContext context) {
        return new FixedLatencyEngine(config, context);
    }
}
