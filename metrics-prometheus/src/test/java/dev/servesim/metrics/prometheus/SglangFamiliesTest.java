package dev.servesim.metrics.prometheus;

import static dev.servesim.metrics.prometheus.TestingSinks.completed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.StepRecord;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import dev.servesim.testing.TestingPlugins;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run of {@code framework.name: sglang} exports SGLang's metric names instead of vLLM's. */
class SglangFamiliesTest {

    /** Every family SGLang's names add, with its type as the {@code # TYPE} line gives it. */
    static final Map<String, String> SGLANG_FAMILIES = sglangFamilies();

    /**
     * The queries of SGLang's Grafana dashboard (sglang repository,
     * examples/monitoring/grafana/dashboards/json/sglang-dashboard.json), with their {@code instance} and
     * {@code model_name} selectors, transcribed here since that repository is not part of the build, plus the
     * per-request TPOT histogram that its older versions queried instead of the inter-token latency. A dashboard
     * update that queries a new metric belongs in this list, with the family that serves it.
     */
    static final List<String> SGLANG_DASHBOARD_QUERIES = List.of(
            "histogram_quantile(0.99, sum by (le) (rate(sglang:e2e_request_latency_seconds_bucket"
                    + "{instance=~\"$instance\", model_name=~\"$model_name\"}[$__rate_interval])))",
            "rate(sglang:e2e_request_latency_seconds_sum{instance=~\"$instance\", model_name=~\"$model_name\"}"
                    + "[$__rate_interval]) / rate(sglang:e2e_request_latency_seconds_count"
                    + "{instance=~\"$instance\", model_name=~\"$model_name\"}[$__rate_interval])",
            "sum by (le) (increase(sglang:e2e_request_latency_seconds_bucket{model_name=~\"$model_name\"}"
                    + "[$__rate_interval]))",
            "histogram_quantile(0.99, sum by (le) (rate(sglang:time_to_first_token_seconds_bucket"
                    + "{instance=~\"$instance\", model_name=~\"$model_name\"}[$__rate_interval])))",
            "rate(sglang:time_to_first_token_seconds_sum{instance=~\"$instance\", model_name=~\"$model_name\"}"
                    + "[$__rate_interval]) / rate(sglang:time_to_first_token_seconds_count"
                    + "{instance=~\"$instance\", model_name=~\"$model_name\"}[$__rate_interval])",
            "histogram_quantile(0.99, sum by (le) (rate(sglang:inter_token_latency_seconds_bucket"
                    + "{instance=~\"$instance\", model_name=~\"$model_name\"}[$__rate_interval])))",
            "rate(sglang:inter_token_latency_seconds_sum[$__rate_interval])"
                    + " / rate(sglang:inter_token_latency_seconds_count[$__rate_interval])",
            "histogram_quantile(0.99, sum by (le) (rate(sglang:time_per_output_token_seconds_bucket"
                    + "{instance=~\"$instance\", model_name=~\"$model_name\"}[$__rate_interval])))",
            "sglang:num_running_reqs{instance=~\"$instance\", model_name=~\"$model_name\"}",
            "sglang:num_queue_reqs{instance=~\"$instance\", model_name=~\"$model_name\"}",
            "sglang:num_used_tokens{instance=~\"$instance\", model_name=~\"$model_name\"}",
            "sglang:token_usage{instance=~\"$instance\", model_name=~\"$model_name\"}",
            "sglang:gen_throughput{instance=~\"$instance\", model_name=~\"$model_name\"}",
            "sglang:cache_hit_rate{instance=~\"$instance\", model_name=~\"$model_name\"}",
            "sum(rate(sglang:prompt_tokens_total{model_name=~\"$model_name\"}[$__rate_interval]))",
            "sum(rate(sglang:generation_tokens_total{model_name=~\"$model_name\"}[$__rate_interval]))",
            "sum(rate(sglang:cached_tokens_total{model_name=~\"$model_name\"}[$__rate_interval]))",
            "sum(rate(sglang:num_requests_total{model_name=~\"$model_name\"}[$__rate_interval]))");

    @TempDir
    Path folder;

    private final List<MetricSink> sinks = new ArrayList<>();

    @AfterEach
    void close() {
        sinks.forEach(MetricSink::close);
    }

    private static Map<String, String> sglangFamilies() {
        Map<String, String> families = new LinkedHashMap<>();
        for (String gauge : List.of("num_running_reqs", "num_used_tokens", "token_usage", "gen_throughput",
                "num_queue_reqs", "cache_hit_rate")) {
            families.put("sglang:" + gauge, "gauge");
        }
        for (String counter : List.of("prompt_tokens_total", "generation_tokens_total", "cached_tokens_total",
                "num_requests_total")) {
            families.put("sglang:" + counter, "counter");
        }
        for (String histogram : List.of("time_to_first_token_seconds", "inter_token_latency_seconds",
                "time_per_output_token_seconds", "e2e_request_latency_seconds")) {
            families.put("sglang:" + histogram, "histogram");
        }
        return Map.copyOf(families);
    }

    private MetricSink sink(String yaml, Boolean vllmNames) {
        MetricSink sink = TestingSinks.create(new PrometheusSinkConfig("127.0.0.1", 0, vllmNames, null),
                new TestingSinks.Context("test-run", folder, () -> 0, yaml));
        sinks.add(sink);
        return sink;
    }

    private Exposition scrape() throws Exception {
        return TestingSinks.scrape(TestingSinks.address(folder));
    }

    private static Map<String, String> familiesStartingWith(Exposition exposition, String prefix) {
        Map<String, String> families = new LinkedHashMap<>();
        exposition.familyTypes().forEach((name, type) -> {
            if (name.startsWith(prefix)) {
                families.put(name, type);
            }
        });
        return families;
    }

    @Test
    void anSglangRunExportsSglangsFamiliesAndNoneOfVllms() throws Exception {
        sink(TestingSinks.SGLANG_YAML, null);

        Exposition metrics = scrape();
        assertThat(familiesStartingWith(metrics, "sglang:")).containsExactlyInAnyOrderEntriesOf(SGLANG_FAMILIES);
        assertThat(metrics.sampleNames()).noneMatch(name -> name.startsWith("vllm:"));
        // servesim's own families are there as for any engine, labelled with the framework
        assertThat(metrics.value("servesim_requests_total", "status", "completed", "framework", "sglang")).isZero();
        // SGLang's labels only: the model and the replica as a data-parallel rank
        for (String family : SGLANG_FAMILIES.keySet()) {
            String sample = SGLANG_FAMILIES.get(family).equals("histogram") ? family + "_count" : family;
            assertThat(metrics.find(sample)).as(family).singleElement().extracting(Exposition.Sample::labels)
                    .isEqualTo(Map.of("model_name", "llama-3.1-8b", "dp_rank", "0"));
        }
    }

    @Test
    void aVllmRunExportsVllmsFamiliesAndNoneOfSglangs() throws Exception {
        sink(TestingSinks.RESOLVED_YAML, null);

        Exposition metrics = scrape();
        assertThat(metrics.sampleNames()).noneMatch(name -> name.startsWith("sglang:"));
        assertThat(familiesStartingWith(metrics, "vllm:")).hasSize(25)
                .containsEntry("vllm:num_requests_running", "gauge");
    }

    @Test
    void anyOtherEngineGetsVllmsNames() throws Exception {
        sink("name: test-run\nframework:\n  name: fixed-latency\n", null);

        Exposition metrics = scrape();
        assertThat(metrics.sampleNames()).noneMatch(name -> name.startsWith("sglang:"));
        assertThat(familiesStartingWith(metrics, "vllm:")).hasSize(25);
    }

    @Test
    void theVllmNamesSwitchTurnsSglangsNamesOffToo() throws Exception {
        sink(TestingSinks.SGLANG_YAML, false);

        Exposition metrics = scrape();
        assertThat(metrics.sampleNames()).noneMatch(name -> name.startsWith("sglang:") || name.startsWith("vllm:"))
                .contains("servesim_requests_total");
    }

    /** Three completed requests, one rejected, one unfinished after four tokens, all on replica 0. */
    private static void feedRequests(MetricSink sink) {
        TestingSinks.serve(sink, completed(1, 1000, 512, 11, 0.01, 0.03, 0.012));
        TestingSinks.serve(sink, completed(2, 200, 0, 1, 0.0, 0.07, 0.0));
        TestingSinks.serve(sink, completed(3, 300, 64, 5, 0.2, 0.6, 0.02));
        TestingSinks.serve(sink, TestingSinks.rejected(4, 90000));
        Request request = Request.single(5, 3.0, PromptContent.single(5, 100), 50);
        TestingSinks.serve(sink, new RequestRecord(request, 0, RequestStatus.UNFINISHED, "", 3.0, 3.5, 3.8, 9.0, 4, 0,
                "MISS", 1, 0.1, 0.1));
    }

    @Test
    void countsRequestsTokensAndLatenciesAsSglangDoes() throws Exception {
        MetricSink sink = sink(TestingSinks.SGLANG_YAML, null);
        feedRequests(sink);

        Exposition metrics = scrape();
        // finished requests: the completed ones (SGLang's frontend refuses what the simulator rejects)
        assertThat(metrics.value("sglang:num_requests_total")).isEqualTo(3);
        assertThat(metrics.value("sglang:prompt_tokens_total")).isEqualTo(1600)
                .isEqualTo(metrics.value("servesim_prompt_tokens_total"));
        assertThat(metrics.value("sglang:generation_tokens_total")).isEqualTo(21)
                .isEqualTo(metrics.value("servesim_generation_tokens_total"));
        assertThat(metrics.value("sglang:cached_tokens_total")).isEqualTo(576)
                .isEqualTo(metrics.value("servesim_cached_tokens_total"));

        // TTFT of every request with a first token: 0.03, 0.07, 0.6, 0.8, in SGLang's buckets
        assertThat(metrics.value("sglang:time_to_first_token_seconds_count")).isEqualTo(4);
        assertThat(metrics.value("sglang:time_to_first_token_seconds_bucket", "le", "0.1")).isEqualTo(2);
        assertThat(metrics.value("sglang:time_to_first_token_seconds_bucket", "le", "0.4")).isEqualTo(2);
        assertThat(metrics.value("sglang:time_to_first_token_seconds_bucket", "le", "0.8")).isEqualTo(4);
        assertThat(metrics.value("sglang:time_to_first_token_seconds_sum")).isCloseTo(1.5, within(1e-12));
        assertThat(metrics.find("sglang:time_to_first_token_seconds_bucket")).extracting(
                sample -> sample.labels().get("le")).containsExactly("0.1", "0.2", "0.4", "0.6", "0.8", "1.0", "2.0",
                        "4.0", "6.0", "8.0", "10.0", "20.0", "40.0", "60.0", "80.0", "100.0", "200.0", "400.0",
                        "+Inf");
        // one observation per gap: 10 of 0.012, 4 of 0.02, 3 of 0.1
        assertThat(metrics.value("sglang:inter_token_latency_seconds_count")).isEqualTo(17);
        assertThat(metrics.value("sglang:inter_token_latency_seconds_bucket", "le", "0.01")).isZero();
        assertThat(metrics.value("sglang:inter_token_latency_seconds_bucket", "le", "0.015")).isEqualTo(10);
        assertThat(metrics.value("sglang:inter_token_latency_seconds_bucket", "le", "0.02")).isEqualTo(14);
        assertThat(metrics.value("sglang:inter_token_latency_seconds_bucket", "le", "0.1")).isEqualTo(17);
        assertThat(metrics.value("sglang:inter_token_latency_seconds_sum"))
                .isCloseTo(10 * 0.012 + 4 * 0.02 + 3 * 0.1, within(1e-12));
        // per completed request with two tokens or more: decode time / (tokens - 1)
        assertThat(metrics.value("sglang:time_per_output_token_seconds_count")).isEqualTo(2);
        assertThat(metrics.value("sglang:time_per_output_token_seconds_bucket", "le", "0.01")).isZero();
        assertThat(metrics.value("sglang:time_per_output_token_seconds_bucket", "le", "0.02")).isEqualTo(2);
        assertThat(metrics.value("sglang:time_per_output_token_seconds_sum")).isCloseTo(0.032, within(1e-12));
        // E2E of completed requests: 0.15, 0.07, 0.68
        assertThat(metrics.value("sglang:e2e_request_latency_seconds_count")).isEqualTo(3);
        assertThat(metrics.value("sglang:e2e_request_latency_seconds_bucket", "le", "0.1")).isEqualTo(1);
        assertThat(metrics.value("sglang:e2e_request_latency_seconds_bucket", "le", "0.2")).isEqualTo(2);
        assertThat(metrics.value("sglang:e2e_request_latency_seconds_bucket", "le", "0.8")).isEqualTo(3);
        assertThat(metrics.value("sglang:e2e_request_latency_seconds_sum")).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void spreadsABatchsGapOverItsTokensAsSglangDoes() throws Exception {
        MetricSink sink = sink(TestingSinks.SGLANG_YAML, null);
        Request request = Request.single(1, 0.0, PromptContent.single(1, 64), 10);
        sink.onTokens(request, 0, 0.5, 1, Double.NaN);
        // four tokens 0.02 s after the previous batch: four observations of 0.005, the sum grows by 0.02
        sink.onTokens(request, 0, 0.52, 4, 0.02);

        Exposition metrics = scrape();
        assertThat(metrics.value("sglang:inter_token_latency_seconds_count")).isEqualTo(4);
        assertThat(metrics.value("sglang:inter_token_latency_seconds_bucket", "le", "0.004")).isZero();
        assertThat(metrics.value("sglang:inter_token_latency_seconds_bucket", "le", "0.006")).isEqualTo(4);
        assertThat(metrics.value("sglang:inter_token_latency_seconds_sum")).isCloseTo(0.02, within(1e-15));
        assertThat(metrics.value("sglang:generation_tokens_total")).isEqualTo(5);
    }

    @Test
    void gaugesFollowStepsAndSnapshotsWithThroughputAndHitRateOverTheSnapshotWindow() throws Exception {
        MetricSink sink = sink(TestingSinks.SGLANG_YAML, null);
        sink.onRunStarted();
        sink.onStep(new StepRecord(0, 1.0, 0.02, 2048, 30, 31, 31, 5, 400, 1000, 2));

        Exposition afterStep = scrape();
        assertThat(afterStep.value("sglang:num_running_reqs")).isEqualTo(31);
        assertThat(afterStep.value("sglang:num_queue_reqs")).isEqualTo(5);
        // 400 pages of 16 tokens
        assertThat(afterStep.value("sglang:num_used_tokens")).isEqualTo(6400);
        assertThat(afterStep.value("sglang:token_usage")).isEqualTo(0.4)
                .isEqualTo(afterStep.value("servesim_kv_usage"));
        // no window has ended yet
        assertThat(afterStep.value("sglang:gen_throughput")).isZero();
        assertThat(afterStep.value("sglang:cache_hit_rate")).isZero();

        feedRequests(sink);
        sink.onSnapshot(2.0, 0, new EngineLoad(12, 1, 250, 1000));
        Exposition firstWindow = scrape();
        assertThat(firstWindow.value("sglang:num_running_reqs")).isEqualTo(12);
        assertThat(firstWindow.value("sglang:num_used_tokens")).isEqualTo(4000);
        // 21 tokens over simulated seconds 0 to 2; 576 of 1600 looked-up tokens hit
        assertThat(firstWindow.value("sglang:gen_throughput")).isEqualTo(10.5);
        assertThat(firstWindow.value("sglang:cache_hit_rate")).isEqualTo(0.36);

        Request request = Request.single(6, 2.0, PromptContent.single(6, 100), 50);
        sink.onTokens(request, 0, 3.0, 9, 0.5);
        sink.onSnapshot(4.0, 0, new EngineLoad(12, 1, 250, 1000));
        Exposition secondWindow = scrape();
        assertThat(secondWindow.value("sglang:gen_throughput")).isEqualTo(4.5);
        // no lookups in the window: the rate of the latest window that had some
        assertThat(secondWindow.value("sglang:cache_hit_rate")).isEqualTo(0.36);

        sink.onAdmitted(request, 0, 4.5, 100, 75);
        sink.onSnapshot(5.0, 0, new EngineLoad(12, 1, 250, 1000));
        Exposition thirdWindow = scrape();
        assertThat(thirdWindow.value("sglang:gen_throughput")).isZero();
        assertThat(thirdWindow.value("sglang:cache_hit_rate")).isEqualTo(0.75);
    }

    @Test
    void labelsEachReplicaWithItsDataParallelRankAndTheConfiguredModelName() throws Exception {
        MetricSink sink = TestingSinks.create(new PrometheusSinkConfig("127.0.0.1", 0, true, "served-model"),
                new TestingSinks.Context("demo", folder, () -> 0, TestingSinks.SGLANG_YAML));
        sinks.add(sink);
        sink.onSnapshot(1.0, 1, new EngineLoad(4, 2, 10, 100));

        Exposition metrics = scrape();
        assertThat(metrics.find("sglang:num_running_reqs")).extracting(sample -> sample.labels().toString())
                .containsExactly("{dp_rank=0, model_name=served-model}", "{dp_rank=1, model_name=served-model}");
        assertThat(metrics.value("sglang:num_queue_reqs", "dp_rank", "1")).isEqualTo(2);
        assertThat(metrics.value("sglang:num_used_tokens", "dp_rank", "1")).isEqualTo(160);
    }

    @Test
    void sglangsFamiliesGetARunLabelOnceTheEndpointIsShared() throws Exception {
        MetricSinkFactory<PrometheusSinkConfig> factory = TestingSinks.factory(TestingPlugins.plugin("prometheus"));
        MetricSink first = sharedSink(factory, "first", 0);
        Exposition alone = scrape("first");
        assertThat(alone.find("sglang:num_running_reqs")).singleElement()
                .satisfies(sample -> assertThat(sample.labels()).doesNotContainKey("run"));

        int port = URI.create(TestingSinks.address(folder.resolve("first"))).getPort();
        MetricSink second = sharedSink(factory, "second", port);
        first.onSnapshot(1.0, 0, new EngineLoad(3, 0, 0, 100));
        second.onSnapshot(1.0, 0, new EngineLoad(7, 0, 0, 100));

        Exposition shared = scrape("second");
        assertThat(shared.value("sglang:num_running_reqs", "run", "first")).isEqualTo(3);
        assertThat(shared.value("sglang:num_running_reqs", "run", "second")).isEqualTo(7);
        assertThat(shared.text().split("# TYPE sglang:num_running_reqs ", -1)).hasSize(2);
    }

    private MetricSink sharedSink(MetricSinkFactory<PrometheusSinkConfig> factory, String run, int port)
            throws IOException {
        Path output = Files.createDirectories(folder.resolve(run));
        MetricSink sink = factory.create(new PrometheusSinkConfig("127.0.0.1", port, null, null),
                new TestingSinks.Context(run, output, () -> 1.0, TestingSinks.SGLANG_YAML));
        sinks.add(sink);
        return sink;
    }

    private Exposition scrape(String run) throws Exception {
        return TestingSinks.scrape(TestingSinks.address(folder.resolve(run)));
    }

    @Test
    void servesEveryMetricSglangsDashboardQueries() throws Exception {
        MetricSink sink = sink(TestingSinks.SGLANG_YAML, null);
        sink.onRunStarted();
        sink.onStep(new StepRecord(0, 1.0, 0.02, 512, 1, 2, 1, 1, 40, 100, 1));
        TestingSinks.serve(sink, completed(1, 512, 256, 8, 0.01, 0.05, 0.01));
        sink.onSnapshot(2.0, 0, new EngineLoad(1, 1, 40, 100));
        Exposition metrics = scrape();

        Set<String> queried = new TreeSet<>();
        for (String query : SGLANG_DASHBOARD_QUERIES) {
            queried.addAll(GrafanaDashboardTest.metricNames(query));
        }
        assertThat(queried).hasSize(20).allMatch(name -> name.startsWith("sglang:"));
        assertThat(metrics.sampleNames()).containsAll(queried);
        // the dashboard's selectors: instance comes from Prometheus's target, model_name from the sink
        assertThat(metrics.find("sglang:num_running_reqs")).singleElement()
                .satisfies(sample -> assertThat(sample.labels()).contains(entry("model_name", "llama-3.1-8b")));
    }
}
