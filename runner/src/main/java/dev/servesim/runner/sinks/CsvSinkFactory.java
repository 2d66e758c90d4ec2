package dev.servesim.runner.sinks;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.runner.sinks.config.CsvSinkConfig;

/** Factory of the {@code csv} sink. */
public final class CsvSinkFactory implements MetricSinkFactory<CsvSinkConfig> {

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String description() {
        return "Writes requests.csv: one row per request with its timings, tokens, cache hit and status";
    }

    @Override
    public Class<CsvSinkConfig> configType() {
        return CsvSinkConfig.class;
    }

    @Override
    public MetricSink create(CsvSinkConfig config, SinkContext context) {
        return new RequestCsvSink(context.outputDirectory().resolve(config.file()));
    }
}
