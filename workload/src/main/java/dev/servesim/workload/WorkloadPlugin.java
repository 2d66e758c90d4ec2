package dev.servesim.workload;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.workload.WorkloadSourceFactory;
import java.util.List;

/** Built-in workload sources. */
public final class WorkloadPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "workload";
    }

    @Override
    public List<WorkloadSourceFactory<?>> workloadSourceFactories() {
        return List.of(new PoissonSourceFactory());
    }
}
