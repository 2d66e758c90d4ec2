package dev.servesim.testing.conformance;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The kits' own sink, {@code conformance-recorder}: keeps every request record, step and the summary of one run in
 * memory, in the order the runner delivered them.
 */
final class RecorderPlugin implements ServesimPlugin {

    static final String SINK = "conformance-recorder";

    private final List<RequestRecord> records = new ArrayList<>();
    private final List<StepRecord> steps = new ArrayList<>();
    private RunSummary summary;

    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public List<MetricSinkFactory<?>> metricSinkFactories() {
        return List.of(new MetricSinkFactory<RecorderConfig>() {
            @Override
            public String name() {
                return SINK;
            }

            @Override
            public String description() {
                return "keeps a run's records in memory for the conformance kits";
            }

            @Override
            public Class<RecorderConfig> configType() {
                return RecorderConfig.class;
            }

            @Override
            public MetricSink create(RecorderConfig config, SinkContext context) {
                return new MetricSink() {
                    @Override
                    public void onRequestFinished(RequestRecord record) {
                        records.add(record);
                    }

                    @Override
                    public void onStep(StepRecord step) {
                        steps.add(step);
                    }

                    @Override
                    public void onRunFinished(RunSummary runSummary) {
                        summary = runSummary;
                    }
                };
            }
        });
    }

    List<RequestRecord> records() {
        return List.copyOf(records);
    }

    List<StepRecord> steps() {
        return List.copyOf(steps);
    }

    RunSummary summary() {
        return summary;
    }
}
