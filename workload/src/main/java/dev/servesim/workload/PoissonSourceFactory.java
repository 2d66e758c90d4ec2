package dev.servesim.workload;

import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.workload.config.PoissonConfig;

/** Factory of the {@code poisson} source. */
public final class PoissonSourceFactory implements WorkloadSourceFactory<PoissonConfig> {

    @Override
    public String name() {
        return "poisson";
    }

    @Override
    public String description() {
        return "Open-loop Poisson arrivals with fixed or drawn prompt and output lengths, unique prompts";
    }

    @Override
    public Class<PoissonConfig> configType() {
        return PoissonConfig.class;
    }

    @Override
    public WorkloadSource create(PoissonConfig config, WorkloadContext context) {
        return new PoissonSource(config, context);
    }
}
