package dev.servesim.runner;

import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;

/**
 * The workload source {@code none}: submits nothing. What {@code servesim serve} runs when its configuration has no
 * {@code workload}, so that the only requests are those of its clients.
 */
public final class NoWorkloadFactory implements WorkloadSourceFactory<NoWorkloadFactory.NoWorkloadConfig> {

    static final String NAME = "none";

    /** The factory the runner's built-in plugin offers. */
    public NoWorkloadFactory() {}

    /** The {@code none} source has no settings. */
    public record NoWorkloadConfig() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "no requests (servesim serve's default: only its clients' requests)";
    }

    @Override
    public Class<NoWorkloadConfig> configType() {
        return NoWorkloadConfig.class;
    }

    @Override
    public WorkloadSource create(NoWorkloadConfig config, WorkloadContext context) {
        return () -> { };
    }
}
