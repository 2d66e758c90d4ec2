package dev.servesim.workload;

import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.workload.config.MultiturnConfig;

/** Factory of the {@code multiturn} source. */
public final class MultiturnSourceFactory implements WorkloadSourceFactory<MultiturnConfig> {

    @Override
    public String name() {
        return "multiturn";
    }

    @Override
    public String description() {
        return "Agentic sessions: Poisson session starts, closed-loop turns on shared prefixes with growing context";
    }

    @Override
    public Class<MultiturnConfig> configType() {
        return MultiturnConfig.class;
    }

    @Override
    public WorkloadSource create(MultiturnConfig config, WorkloadContext context) {
        return new MultiturnSource(config, context);
    }
}
