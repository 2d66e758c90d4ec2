package dev.servesim.api.workload;

import dev.servesim.api.ExtensionFactory;

/**
 * Creates workload sources, e.g. {@code poisson}, {@code synthetic}, {@code trace}. Selected by
 * {@code workload.source}.
 *
 * @param <C> configuration record
 */
public interface WorkloadSourceFactory<C extends Record> extends ExtensionFactory<C> {

    /** Creates the run's workload source. */
    WorkloadSource create(C config, WorkloadContext context);
}
