package dev.servesim.runner.sinks;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.runner.sinks.config.TimelineSinkConfig;

/** Factory of the {@code timeline} sink. */
public final class TimelineSinkFactory implements MetricSinkFactory<TimelineSinkConfig> {

    @Override
    public String name() {
        return "timeline";
    }

    @Override
    public String description() {
        return "Writes timeline.json: requests, their phases and engine steps per replica as Chrome Trace Event JSON "
                + "(opens in ui.perfetto.dev)";
    }

    @Override
    public Class<TimelineSinkConfig> configType() {
        return TimelineSinkConfig.class;
    }

    @Override
    public MetricSink create(TimelineSinkConfig config, SinkContext context) {
        return new TimelineSink(context.outputDirectory().resolve(config.file()), config.maxRequests(),
                config.maxSteps());
    }
}
