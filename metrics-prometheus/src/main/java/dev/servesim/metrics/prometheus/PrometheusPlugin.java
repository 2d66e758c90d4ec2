package dev.servesim.metrics.prometheus;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSinkFactory;
import java.util.List;

/** The Prometheus metric sink. */
public final class PrometheusPlugin implements ServesimPlugin {

    // shared by every sink this plugin creates, so that runs in one process can share an endpoint
    private final SharedEndpoints endpoints = new SharedEndpoints();

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public List<MetricSinkFactory<?>> metricSinkFactories() {
        return List.of(new PrometheusSinkFactory(endpoints));
    }
}
