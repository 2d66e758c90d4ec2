package dev.servesim.workload;

import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.workload.config.SyntheticConfig;

/** Factory of the {@code synthetic} source. */
public final class SyntheticSourceFactory implements WorkloadSourceFactory<SyntheticConfig> {

    @Override
    public String name() {
        return "synthetic";
    }

    @Override
    public String description() {
        return "Sessions of weighted client profiles: distributions of arrivals, lengths and think times, "
                + "multi-turn conversations with growing context";
    }

    @Override
    public Class<SyntheticConfig> configType() {
        return SyntheticConfig.class;
    }

    @Override
    public WorkloadSource create(SyntheticConfig config, WorkloadContext context) {
        return new SyntheticSource(config, context);
    }
}
