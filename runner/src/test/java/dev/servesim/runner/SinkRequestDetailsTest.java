package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.runner.config.ConfigSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink that overrides onTokens and onAdmitted gets every token batch and admission, before the record. */
class SinkRequestDetailsTest {

    /** What the detail sink saw, in order. */
    private static final List<String> EVENTS = new ArrayList<>();

    private static final class DetailSink implements MetricSink {
        @Override
        public void onTokens(Request request, int replica, double time, int count, double gapSeconds) {
            EVENTS.add(String.format(Locale.ROOT, "tokens %d r%d t=%.2f n=%d gap=%.2f", request.id(),
                    replica, time, count, gapSeconds));
        }

        @Override
        public void onAdmitted(Request request, int replica, double time, int queriedTokens, int cachedTokens) {
            EVENTS.add(String.format(Locale.ROOT, "admitted %d r%d t=%.2f queried=%d cached=%d",
                    request.id(), replica, time, queriedTokens, cachedTokens));
        }

        @Override
        public void onRequestFinished(RequestRecord record) {
            EVENTS.add("record " + record.request().id() + " outputs=" + record.outputTokens());
        }
    }

    @Test
    void everyTokenBatchAndAdmissionReachesTheSinkBeforeTheRecord(@TempDir Path folder) {
        EVENTS.clear();
        List<ServesimPlugin> plugins = new ArrayList<>(TestingConfigs.registryPlugins());
        plugins.add(TestingConfigs.sinkPlugin("details", DetailSink::new));
        RunConfiguration configuration = new ConfigLoader(PluginRegistry.of(plugins)).bind(
                ConfigSource.parse("""
                        framework: {name: serial, ttft: 0.1, itl: 0.05}
                        workload: {source: scripted, arrivals: [0.0], prompt_tokens: 10, output_tokens: 3}
                        sinks: [{name: details}]
                        """, "test.yaml", false), "test");
        SimulationRunner.run(configuration, folder.resolve("out"), new RunControl());

        assertThat(EVENTS).containsExactly(
                "admitted 0 r0 t=0.00 queried=10 cached=0",
                "tokens 0 r0 t=0.10 n=1 gap=NaN",
                "tokens 0 r0 t=0.15 n=1 gap=0.05",
                "tokens 0 r0 t=0.20 n=1 gap=0.05",
                "record 0 outputs=3");
    }
}
