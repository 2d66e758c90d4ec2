package dev.servesim.workload;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.workload.WorkloadSourceFactory;
import java.util.List;

/** Built-in workload sources, and the sink that writes a run's trace for replay. */
public final class WorkloadPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "workload";
    }

    @Override
    public List<WorkloadSourceFactory<?>> workloadSourceFactories() {
        return List.of(new PoissonSourceFactory(), new SyntheticSourceFactory(), new MultiturnSourceFactory(),
                new SharedPrefixSourceFactory(), new TraceSourceFactory());
    }

    @Override
    public List<MetricSinkFactory<?>> metricSinkFactories() {
        return List.of(new TraceDumpSinkFactory());
    }
}
