package dev.servesim.metrics.prometheus;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.LatencyStats;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.sim.SimClock;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import dev.servesim.testing.TestingPlugins;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Creates {@code prometheus} sinks through the plugin, as the runner does, and scrapes them. */
final class TestingSinks {

    static final String RESOLVED_YAML = """
            name: test-run
            seed: 1
            framework:
              name: vllm
              model: llama-3.1-8b
              max_model_len: 8192
            cache:
              strategy: block-hash
            sinks:
            - name: prometheus
              port: 0
            """;

    /** A run of the sglang engine with KV pages of 16 tokens. */
    static final String SGLANG_YAML = """
            name: test-run
            seed: 1
            framework:
              name: sglang
              model: llama-3.1-8b
              context_length: 8192
              page_size: 16
            cache:
              strategy: none
            sinks:
            - name: prometheus
              port: 0
            """;

    private TestingSinks() {}

    record Context(String runName, Path outputDirectory, SimClock clock, String configurationYaml)
            implements SinkContext {}

    /** A sink on a free loopback port, created through ServiceLoader and the factory. */
    static MetricSink create(Path folder, Boolean vllmNames) {
        return create(new PrometheusSinkConfig("127.0.0.1", 0, vllmNames, null),
                new Context("test-run", folder, () -> 12.5, RESOLVED_YAML));
    }

    /** A sink created through a plugin of its own, found through ServiceLoader. */
    static MetricSink create(PrometheusSinkConfig config, SinkContext context) {
        return factory(TestingPlugins.plugin("prometheus")).create(config, context);
    }

    /** The sink factory of {@code plugin}; the sinks of one plugin share endpoints, as the runs of one command do. */
    @SuppressWarnings("unchecked")
    static MetricSinkFactory<PrometheusSinkConfig> factory(ServesimPlugin plugin) {
        return (MetricSinkFactory<PrometheusSinkConfig>) TestingPlugins.factory(plugin,
                ServesimPlugin::metricSinkFactories, "prometheus");
    }

    static String address(Path folder) throws IOException {
        return Files.readString(folder.resolve(PrometheusSink.ADDRESS_FILE)).strip();
    }

    static HttpResponse<String> send(String method, String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    static Exposition scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", url);
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape of " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return Exposition.parse(response.body());
    }

    /**
     * A completed request: arrives at 1.0 s, queued at 1.0, scheduled at {@code 1.0 + queue}, first token
     * {@code ttft} after arrival, then {@code outputTokens - 1} gaps of {@code itl}.
     */
    /**
     * Tells {@code sink} of a request as a run does: its admission, every output token as it comes (the gaps all the
     * record's mean gap), then its record.
     */
    static void serve(MetricSink sink, RequestRecord record) {
        Request request = record.request();
        if (!Double.isNaN(record.scheduledTime())) {
            sink.onAdmitted(request, record.replica(), record.scheduledTime(), request.promptTokens(),
                    record.cachedTokens());
        }
        if (!Double.isNaN(record.firstTokenTime())) {
            sink.onTokens(request, record.replica(), record.firstTokenTime(), 1, Double.NaN);
            for (int k = 1; k < record.outputTokens(); k++) {
                sink.onTokens(request, record.replica(), record.firstTokenTime() + k * record.meanItl(), 1,
                        record.meanItl());
            }
        }
        sink.onRequestFinished(record);
    }

    static RequestRecord completed(long id, int promptTokens, int cachedTokens, int outputTokens, double queue,
            double ttft, double itl) {
        Request request = Request.single(id, 1.0, PromptContent.single(id, promptTokens), outputTokens);
        double firstToken = 1.0 + ttft;
        double finish = firstToken + itl * (outputTokens - 1);
        return new RequestRecord(request, 0, RequestStatus.COMPLETED, "", 1.0, 1.0 + queue, firstToken, finish,
                outputTokens, cachedTokens, cachedTokens > 0 ? "HIT" : "MISS", 0,
                outputTokens > 1 ? itl : Double.NaN, outputTokens > 1 ? itl : Double.NaN);
    }

    static RequestRecord rejected(long id, int promptTokens) {
        Request request = Request.single(id, 2.0, PromptContent.single(id, promptTokens), 10);
        return new RequestRecord(request, 0, RequestStatus.REJECTED, "prompt longer than max_model_len", Double.NaN,
                Double.NaN, Double.NaN, 2.0, 0, 0, "", 0, Double.NaN, Double.NaN);
    }

    /** A summary with the given simulated time and speed, and nothing else of interest. */
    static RunSummary summary(double simulatedSeconds, double simulatedOverWall) {
        LatencyStats none = LatencyStats.EMPTY;
        return new RunSummary("test-run", "test", 1L, "0", false, simulatedSeconds,
                simulatedSeconds / simulatedOverWall, simulatedOverWall, "exact",
                new RunSummary.Requests(0, 0, 0, 0, Map.of(), 0),
                new RunSummary.Latencies(none, none, none, none, none), new RunSummary.Throughput(0, 0, 0),
                new RunSummary.Goodput(Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN),
                new RunSummary.PrefixCache("block-hash", 0, 0, 0, 0, 0, Map.of(), 0, 0),
                new RunSummary.KvCache(100, 16, 1600, 0, 0, 0, 0), Map.of(),
                new RunSummary.Breakdown(Map.of(), Map.of(), Map.of()), Map.of(), RunSummary.Cluster.NONE);
    }
}
