package dev.servesim.workload;

import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.workload.config.SharedPrefixConfig;

/** Factory of the {@code shared-prefix} source. */
public final class SharedPrefixSourceFactory implements WorkloadSourceFactory<SharedPrefixConfig> {

    @Override
    public String name() {
        return "shared-prefix";
    }

    @Override
    public String description() {
        return "Benchmark load (inference-perf shared_prefix): system prompts shared by users' questions, staged rates";
    }

    @Override
    public Class<SharedPrefixConfig> configType() {
        return SharedPrefixConfig.class;
    }

    @Override
    public WorkloadSource create(SharedPrefixConfig config, WorkloadContext context) {
        return new SharedPrefixSource(config, context);
    }
}
