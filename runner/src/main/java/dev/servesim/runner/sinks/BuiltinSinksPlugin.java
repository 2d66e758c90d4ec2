package dev.servesim.runner.sinks;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.runner.NoWorkloadFactory;
import java.util.List;

/** The runner's own sinks, registered through the same SPI as every other plugin. */
public final class BuiltinSinksPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "builtin-sinks";
    }

    @Override
    public List<WorkloadSourceFactory<?>> workloadSourceFactories() {
        return List.of(new NoWorkloadFactory());
    }

    @Override
    public List<MetricSinkFactory<?>> metricSinkFactories() {
        return List.of(new JsonSinkFactory(), new CsvSinkFactory(), new HtmlSinkFactory(),
                new TimelineSinkFactory());
    }
}
