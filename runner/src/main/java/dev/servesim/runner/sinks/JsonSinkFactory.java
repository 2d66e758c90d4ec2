package dev.servesim.runner.sinks;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.runner.sinks.config.JsonSinkConfig;

/** Factory of the {@code json} sink. */
public final class JsonSinkFactory implements MetricSinkFactory<JsonSinkConfig> {

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String description() {
        return "Writes summary.json: request counts, latency percentiles, throughput, KV capacity";
    }

    @Override
    public Class<JsonSinkConfig> configType() {
        return JsonSinkConfig.class;
    }

    @Override
    public MetricSink create(JsonSinkConfig config, SinkContext context) {
        return new JsonSummarySink(context.outputDirectory().resolve(config.file()));
    }
}
