package dev.servesim.distribution;

import static dev.servesim.distribution.PackagedDistribution.log;
import static dev.servesim.distribution.PackagedDistribution.stop;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus} package; {@code .ci/run} installs it) scrapes a paced, held
 * run of the packaged distribution on loopback. What Prometheus then computes from the scraped counters and
 * histograms must agree with the run's summary.json, and every query of the shipped Grafana dashboard must evaluate.
 */
class PrometheusIT {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String RUN = "prometheus-it";
    private static final String SELECTOR = "{run=\"" + RUN + "\"}";
    // about 120 requests in 30 simulated seconds, 10 wall seconds at --pace 3; prompts share prefixes, so the
    // prefix cache hits
    private static final String CONFIG = """
            name: %s
            seed: 3
            snapshot_interval: 0.5
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cache: {strategy: block-hash}
            workload:
              source: shared-prefix
              num_unique_system_prompts: 4
              users_per_system_prompt: 8
              system_prompt_len: 512
              question_len: 128
              output_len: 64
              load_type: poisson
              stages: [{rate: 4, duration: 30}]
            sinks: [json, {name: prometheus, port: 0}]
            """.formatted(RUN);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path home;

    static Path distribution;

    private record Bucket(double upperBound, double cumulativeCount) {}

    @BeforeAll
    static void unzip() throws IOException {
        distribution = PackagedDistribution.unzip(home);
    }

    @Test
    void prometheusScrapesAPacedRunAndAgreesWithTheSummary() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS),
                "Prometheus is not installed (apt-get install prometheus): live scrape test skipped");
        Path work = Files.createTempDirectory(home, "paced");
        Files.writeString(work.resolve("run.yaml"), CONFIG);
        Process servesim = start(work, "servesim", distribution.resolve("bin/servesim").toString(), "run", "run.yaml",
                "--pace", "3", "--hold", "--out", "results");
        Process prometheus = null;
        try {
            Path address = work.resolve("results/prometheus.address");
            await(servesim, work, "servesim", "results/prometheus.address", () -> Files.exists(address));
            URI metrics = URI.create(Files.readString(address).strip());
            assertThat(metrics.getHost()).isEqualTo("127.0.0.1");
            assertThat(metrics.getPath()).isEqualTo("/metrics");
            assertThat(get(metrics.resolve("/health"))).isEqualTo("ok\n");

            int port = freePort();
            prometheus = start(work, "prometheus", PROMETHEUS.toString(),
                    "--config.file=" + writePrometheusConfig(work, metrics),
                    "--storage.tsdb.path=" + work.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn");
            URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/query");

            // the summary appears when the run ends; --hold keeps the endpoint up for the final scrapes
            Path summaryFile = work.resolve("results/summary.json");
            await(servesim, work, "servesim", "summary.json", () -> Files.exists(summaryFile));
            JsonNode summary = JSON.readTree(summaryFile.toFile());
            JsonNode requests = summary.path("requests");
            long completed = requests.path("completed").asLong();
            assertThat(completed).isGreaterThan(50);
            await(prometheus, work, "prometheus", "the final request counters in Prometheus",
                    () -> scalar(api, "sum(servesim_requests_total{run=\"" + RUN + "\",status=\"completed\"})")
                            == completed);

            assertCountersAgree(api, summary);
            assertThat(scalar(api, "min_over_time(servesim_requests_total{run=\"" + RUN
                    + "\",status=\"completed\"}[10m])"))
                    .as("Prometheus scraped the run while it was going").isLessThan(completed);
            assertTtftMedianAgrees(api, summary, "servesim_request_ttft_seconds_bucket");
            assertTtftMedianAgrees(api, summary, "vllm:time_to_first_token_seconds_bucket");
            assertEveryDashboardQueryEvaluates(api);
        } finally {
            if (prometheus != null) {
                stop(prometheus);
            }
            if (servesim.isAlive()) {
                // ends the hold as Ctrl-C does (shutdown hooks run on SIGTERM too)
                servesim.destroy();
            }
            if (!servesim.waitFor(60, TimeUnit.SECONDS)) {
                servesim.destroyForcibly();
                throw new AssertionError("servesim did not end after SIGTERM: " + log(work, "servesim"));
            }
        }
        assertThat(servesim.exitValue()).as(log(work, "servesim")).isIn(0, 130, 143);
        assertThat(JSON.readTree(work.resolve("results/summary.json").toFile()).path("partial").asBoolean())
                .isFalse();
        assertThat(log(work, "servesim")).contains("servesim: prometheus: metrics at http://127.0.0.1:",
                "holding sinks open until interrupted");
    }

    @Test
    void theShippedScrapeConfigurationIsValid() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL),
                "promtool is not installed (apt-get install prometheus): scrape configuration not checked");
        Path work = Files.createTempDirectory(home, "promtool");
        Process check = start(work, "promtool", PROMTOOL.toString(), "check", "config",
                distribution.resolve("prometheus/prometheus.yml").toString());
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(log(work, "promtool")).isZero();
        assertThat(Files.readString(distribution.resolve("prometheus/prometheus.yml"))).contains("127.0.0.1:9400");
    }

    private static void assertCountersAgree(URI api, JsonNode summary) throws Exception {
        JsonNode requests = summary.path("requests");
        for (String status : new String[] {"completed", "rejected", "unfinished"}) {
            assertThat(scalar(api, "sum(servesim_requests_total{run=\"" + RUN + "\",status=\"" + status + "\"})"))
                    .as(status).isEqualTo(requests.path(status).asDouble());
        }
        assertThat(scalar(api, "sum(vllm:request_success_total{finished_reason=\"length\"})"))
                .isEqualTo(requests.path("completed").asDouble());
        assertThat(scalar(api, "sum(servesim_request_ttft_seconds_count" + SELECTOR + ")"))
                .isEqualTo(summary.path("latency_ms").path("ttft").path("count").asDouble());
        double tokensSaved = summary.path("prefix_cache").path("tokens_saved").asDouble();
        assertThat(tokensSaved).isPositive();
        assertThat(scalar(api, "sum(servesim_prefix_cache_hits_total" + SELECTOR + ")")).isEqualTo(tokensSaved);
        assertThat(scalar(api, "sum(vllm:prefix_cache_hits_total)")).isEqualTo(tokensSaved);
        double generated = scalar(api, "sum(servesim_generation_tokens_total" + SELECTOR + ")");
        assertThat(generated).isEqualTo(requests.path("completed").asDouble() * 64);
        assertThat(scalar(api, "sum(vllm:generation_tokens_total)")).isEqualTo(generated);
    }

    /**
     * Prometheus estimates the median from the buckets by linear interpolation inside the bucket that holds rank
     * count/2, so the estimate is only as precise as that bucket: the exact median of summary.json must lie in it.
     * With an even count whose two middle samples straddle a bucket bound, the exact median (their mean) can lie up
     * to halfway into the next occupied bucket.
     */
    private static void assertTtftMedianAgrees(URI api, JsonNode summary, String bucketSeries) throws Exception {
        String buckets = "sum by (le) (" + bucketSeries + ")";
        double estimate = scalar(api, "histogram_quantile(0.5, " + buckets + ")");
        List<Bucket> histogram = buckets(api, buckets);
        double count = histogram.get(histogram.size() - 1).cumulativeCount();
        JsonNode ttft = summary.path("latency_ms").path("ttft");
        assertThat(count).isEqualTo(ttft.path("count").asDouble());
        int median = 0;
        while (histogram.get(median).cumulativeCount() < count / 2) {
            median++;
        }
        double lower = median == 0 ? 0 : histogram.get(median - 1).upperBound();
        double upper = histogram.get(median).upperBound();
        assertThat(estimate).as("estimate of %s", bucketSeries).isGreaterThan(lower).isLessThanOrEqualTo(upper);
        double allowedUpper = upper;
        if (count % 2 == 0 && histogram.get(median).cumulativeCount() == count / 2) {
            int next = median + 1;
            while (histogram.get(next).cumulativeCount() == count / 2) {
                next++;
            }
            allowedUpper = (upper + histogram.get(next).upperBound()) / 2;
        }
        double exact = ttft.path("p50").asDouble() / 1000;
        assertThat(exact).as("summary.json TTFT p50 (s) against %s's bucket (%s, %s] holding Prometheus's estimate %s",
                bucketSeries, lower, upper, estimate).isBetween(lower, allowedUpper);
    }

    private static void assertEveryDashboardQueryEvaluates(URI api) throws Exception {
        JsonNode dashboard = JSON.readTree(distribution.resolve("grafana/servesim-dashboard.json").toFile());
        List<JsonNode> expressions = dashboard.path("panels").findValues("expr");
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode expression : expressions) {
            String query = expression.asText().replace("$__rate_interval", "10m").replace("$cache_strategy", ".*")
                    .replace("$run", RUN);
            assertThat(query(api, query).path("data").path("result")).as(query).isNotEmpty();
        }
    }

    private static double scalar(URI api, String query) throws Exception {
        JsonNode result = query(api, query).path("data").path("result");
        if (result.size() != 1) {
            return Double.NaN;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private static List<Bucket> buckets(URI api, String query) throws Exception {
        List<Bucket> buckets = new ArrayList<>();
        for (JsonNode series : query(api, query).path("data").path("result")) {
            String le = series.path("metric").path("le").asText();
            buckets.add(new Bucket(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                    Double.parseDouble(series.path("value").get(1).asText())));
        }
        buckets.sort(Comparator.comparingDouble(Bucket::upperBound));
        assertThat(buckets).as(query).hasSizeGreaterThan(2);
        return buckets;
    }

    private static JsonNode query(URI api, String query) throws Exception {
        URI uri = URI.create(api + "?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).as(query + " -> " + response.body()).isEqualTo("success");
        return body;
    }

    private static String get(URI uri) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response.body();
    }

    private static Path writePrometheusConfig(Path work, URI metrics) throws IOException {
        return Files.writeString(work.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: servesim
                    metrics_path: %s
                    static_configs:
                      - targets: ["%s:%d"]
                """.formatted(metrics.getPath(), metrics.getHost(), metrics.getPort()));
    }

    /** A free loopback port: bound by the system, then released for Prometheus to take. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static Process start(Path work, String name, String... command) throws IOException {
        return PackagedDistribution.start(work, name, List.of(command));
    }

    private static void await(Process process, Path work, String name, String what,
            PackagedDistribution.Condition condition) throws Exception {
        PackagedDistribution.await(process, work, name, what, TIMEOUT, condition);
    }
}
