package dev.servesim.runner.sinks;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.runner.sinks.config.HtmlSinkConfig;

/** Factory of the {@code html} sink. */
public final class HtmlSinkFactory implements MetricSinkFactory<HtmlSinkConfig> {

    @Override
    public String name() {
        return "html";
    }

    @Override
    public String description() {
        return "Writes report.html: latency survival curves, load and KV usage over time, the configuration (offline)";
    }

    @Override
    public Class<HtmlSinkConfig> configType() {
        return HtmlSinkConfig.class;
    }

    @Override
    public MetricSink create(HtmlSinkConfig config, SinkContext context) {
        return new HtmlReportSink(context.outputDirectory().resolve(config.file()), context);
    }
}
