package dev.servesim.workload;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.workload.config.TraceDumpConfig;
import dev.servesim.workload.trace.TraceLineSorter;

/** Factory of the {@code trace-dump} sink. */
public final class TraceDumpSinkFactory implements MetricSinkFactory<TraceDumpConfig> {

    @Override
    public String name() {
        return "trace-dump";
    }

    @Override
    public String description() {
        return "Writes the run's measured trace (servesim JSONL with block hashes, TTFT, ITL, cached tokens), "
                + "replayable with the trace source";
    }

    @Override
    public Class<TraceDumpConfig> configType() {
        return TraceDumpConfig.class;
    }

    @Override
    public void check(TraceDumpConfig config, SinkContext context) {
        TraceDumpSink.check(context.outputDirectory().resolve(config.file()));
    }

    @Override
    public MetricSink create(TraceDumpConfig config, SinkContext context) {
        return new TraceDumpSink(context.outputDirectory().resolve(config.file()), config.blockSize(),
                context.runName(), TraceLineSorter.DEFAULT_BUFFER_CHARS);
    }
}
