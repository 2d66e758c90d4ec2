package dev.servesim.metrics.prometheus;

import static dev.servesim.metrics.prometheus.TestingSinks.completed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.request.StepRecord;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import dev.servesim.testing.TestingPlugins;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusPluginTest {

    @Test
    void offersOneSinkFactoryWithItsConfigRecord() {
        ServesimPlugin plugin = TestingPlugins.plugin("prometheus");

        assertThat(plugin.metricSinkFactories()).hasSize(1);
        assertThat(plugin.metricSinkFactories().get(0).name()).isEqualTo("prometheus");
        assertThat(plugin.metricSinkFactories().get(0).configType()).isEqualTo(PrometheusSinkConfig.class);
        assertThat(plugin.engineFactories()).isEmpty();
    }

    @Test
    void servesATinyRunUntilClosedNotJustUntilItEnds(@TempDir Path folder) throws Exception {
        MetricSink sink = TestingSinks.create(folder, null);
        String address = TestingSinks.address(folder);
        assertThat(address).startsWith("http://127.0.0.1:").endsWith("/metrics");
        try {
            sink.onRunStarted();
            sink.onStep(new StepRecord(0, 1.0, 0.05, 100, 0, 1, 1, 0, 7, 100, 0));
            TestingSinks.serve(sink, completed(1, 100, 0, 10, 0.0, 0.3, 0.02));
            sink.onSnapshot(12.5, 0, new EngineLoad(3, 2, 50, 100));

            Exposition live = TestingSinks.scrape(address);
            assertThat(live.value("servesim_requests_total", "status", "completed")).isEqualTo(1);
            assertThat(live.value("servesim_request_ttft_seconds_bucket", "le", "0.25")).isZero();
            assertThat(live.value("servesim_request_ttft_seconds_bucket", "le", "0.5")).isEqualTo(1);
            assertThat(live.value("servesim_generation_tokens_total")).isEqualTo(10);
            assertThat(live.value("servesim_requests_running")).isEqualTo(3);
            assertThat(live.value("servesim_kv_usage")).isEqualTo(0.5);
            assertThat(live.value("servesim_simulated_time_seconds")).isEqualTo(12.5);
            assertThat(live.value("vllm:request_success_total", "finished_reason", "length")).isEqualTo(1);
            assertThat(live.value("vllm:time_to_first_token_seconds_count")).isEqualTo(1);

            sink.onRunFinished(TestingSinks.summary(20.0, 4.0));
            assertThat(TestingSinks.scrape(address).value("servesim_requests_total", "status", "completed"))
                    .as("still served after the run, for --hold").isEqualTo(1);
        } finally {
            sink.close();
        }
        assertThatThrownBy(() -> TestingSinks.scrape(address)).isInstanceOf(IOException.class);
        sink.close();
    }
}
