package dev.servesim.scenarios;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.StepRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An in-process plugin with the sink {@code step-totals}: the prompt and output tokens each replica computed. */
final class StepTotals implements ServesimPlugin {

    static final String SINK = "{name: step-totals}";

    private final Map<Integer, long[]> totals = new TreeMap<>();

    /** The sink's configuration: it has none. Public so that the runner can bind it. */
    public record Config() {}

    @Override
    public String name() {
        return "step-totals";
    }

    @Override
    public List<MetricSinkFactory<?>> metricSinkFactories() {
        return List.of(new MetricSinkFactory<Config>() {
            @Override
            public String name() {
                return "step-totals";
            }

            @Override
            public String description() {
                return "sums each replica's prefill and decode tokens";
            }

            @Override
            public Class<Config> configType() {
                return Config.class;
            }

            @Override
            public MetricSink create(Config config, SinkContext context) {
                return new MetricSink() {
                    @Override
                    public void onStep(StepRecord step) {
                        long[] replica = totals.computeIfAbsent(step.replica(), ignored -> new long[2]);
                        replica[0] += step.prefillTokens();
                        replica[1] += step.decodeTokens();
                    }
                };
            }
        });
    }

    long prefillTokens(int replica) {
        return totals.getOrDefault(replica, new long[2])[0];
    }

    long decodeTokens(int replica) {
        return totals.getOrDefault(replica, new long[2])[1];
    }
}
