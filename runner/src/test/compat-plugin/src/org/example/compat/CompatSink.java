package org.example.compat;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import org.example.compat.config.CompatSinkConfig;

/** Writes one line per (status, cache event) with its count, then the steps seen and the run's end. */
final class CompatSink implements MetricSink {

    private final CompatSinkConfig config;
    private final SinkContext context;
    private final Map<String, Integer> tally = new TreeMap<>();
    private int steps;

    CompatSink(CompatSinkConfig config, SinkContext context) {
        this.config = config;
        this.context = context;
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        tally.merge(record.status() + " " + record.cacheEvent() + " turn " + record.request().turn(), 1, Integer::sum);
    }

    @Override
    public void onStep(StepRecord step) {
        steps++;
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        StringBuilder out = new StringBuilder("run " + context.runName() + "\n");
        tally.forEach((key, count) -> out.append(key).append(": ").append(count).append('\n'));
        out.append("steps: ").append(steps).append('\n');
        out.append("completed: ").append(summary.requests().completed()).append('\n');
        out.append("ended at: ").append(context.clock().now()).append('\n');
        out.append("configuration names the engine: ").append(context.configurationYaml().contains("compat-engine"))
                .append('\n');
        try {
            Files.writeString(context.outputDirectory().resolve(config.file()), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
