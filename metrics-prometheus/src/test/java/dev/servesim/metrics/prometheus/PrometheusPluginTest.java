package dev.servesim.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.sim.SimClock;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import dev.servesim.testing.TestingPlugins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusPluginTest {

    private record Context(String runName, Path outputDirectory, SimClock clock) implements SinkContext {
        @Override
        public String configurationYaml() {
            return "name: test-run\n";
        }
    }

    @SuppressWarnings("unchecked")
    private static MetricSink sink(PrometheusSinkConfig config, Path folder) {
        ServesimPlugin plugin = TestingPlugins.plugin("prometheus");
        MetricSinkFactory<PrometheusSinkConfig> factory = (MetricSinkFactory<PrometheusSinkConfig>)
                TestingPlugins.factory(plugin, ServesimPlugin::metricSinkFactories, "prometheus");
        return factory.create(config, new Context("test-run", folder, () -> 12.5));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesRecordedMetricsWhileTheRunIsGoing(@TempDir Path folder) throws Exception {
        MetricSink sink = sink(new PrometheusSinkConfig("127.0.0.1", 0), folder);
        String address = Files.readString(folder.resolve("prometheus.address")).strip();
        assertThat(address).startsWith("http://127.0.0.1:").endsWith("/metrics");
        try {
            Request request = Request.single(1, 1.0, PromptContent.single(1, 100), 10);
            sink.onRequestFinished(new RequestRecord(request, 0, RequestStatus.COMPLETED, "", 1.0, 1.0, 1.3, 2.0, 10,
                    0, "MISS", 0, 0.07, 0.1));
            sink.onSnapshot(12.5, 0, new EngineLoad(3, 2, 50, 100));

            HttpResponse<String> response = get(address);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                    .contains("servesim_requests_total{run=\"test-run\",status=\"completed\"} 1.0")
                    .contains("servesim_request_ttft_seconds_count{run=\"test-run\"} 1")
                    .contains("servesim_request_ttft_seconds_bucket{run=\"test-run\",le=\"0.5\"} 1")
                    .contains("servesim_request_ttft_seconds_bucket{run=\"test-run\",le=\"0.25\"} 0")
                    .contains("servesim_generation_tokens_total{run=\"test-run\"} 10.0")
                    .contains("servesim_requests_running{run=\"test-run\"} 3.0")
                    .contains("servesim_kv_usage{run=\"test-run\"} 0.5")
                    .contains("servesim_simulated_time_seconds{run=\"test-run\"} 12.5");
            assertThat(get(address.replace("/metrics", "/other")).statusCode()).isEqualTo(404);
        } finally {
            sink.onRunFinished(null);
        }
        assertThatThrownBy(() -> get(address)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aTakenPortIsAClearConfigurationError(@TempDir Path folder) throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> sink(new PrometheusSinkConfig("127.0.0.1", taken.getLocalPort()), folder))
                    .isInstanceOf(ServesimException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void configDefaultsAndChecks() {
        PrometheusSinkConfig defaults = TestingPlugins.defaultConfig(PrometheusSinkConfig.class);
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isEqualTo(PrometheusSinkConfig.DEFAULT_PORT);
        assertThatThrownBy(() -> new PrometheusSinkConfig(null, 70000)).hasMessage(
                "port: must be between 0 and 65535, got 70000");
    }
}
