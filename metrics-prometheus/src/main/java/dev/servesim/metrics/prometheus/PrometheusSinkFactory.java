package dev.servesim.metrics.prometheus;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;

/** Factory of the {@code prometheus} sink. */
public final class PrometheusSinkFactory implements MetricSinkFactory<PrometheusSinkConfig> {

    private final SharedEndpoints endpoints;

    PrometheusSinkFactory(SharedEndpoints endpoints) {
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
    }

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public String description() {
        return "Serves live metrics at http://HOST:PORT/metrics in the Prometheus text format, under servesim's and "
                + "the engine's metric names (vLLM's, or SGLang's for sglang)";
    }

    @Override
    public Class<PrometheusSinkConfig> configType() {
        return PrometheusSinkConfig.class;
    }

    /** The host must resolve; whether the port is free is only known when the run binds it. */
    @Override
    public void check(PrometheusSinkConfig config, SinkContext context) {
        if (new java.net.InetSocketAddress(config.host(), 0).isUnresolved()) {
            throw dev.servesim.api.ServesimException.config("sinks.prometheus.host", "cannot resolve '"
                    + config.host() + "'");
        }
    }

    @Override
    public MetricSink create(PrometheusSinkConfig config, SinkContext context) {
        return new PrometheusSink(config, context, endpoints);
    }
}
