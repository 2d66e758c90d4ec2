package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.RunResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code servesim serve} standing in for each replica of a 16-replica cluster on a port of its own, driven by a
 * client-side round-robin over the replicas' URLs: each port's requests run on its replica, with its prefix cache,
 * and its {@code /metrics} counts exactly them, as one vLLM server's would.
 */
class ServeClusterTest {

    private static final int REPLICAS = 16;
    private static final String MODEL = "llama-3.1-8b";
    private static final String CONFIG = """
            name: serve-cluster
            seed: 7
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 4096}
            cache: {strategy: block-hash}
            cluster: {replicas: 16, router: {name: round-robin}}
            sinks: [json, csv]
            """;
    /** Client-side round-robin rounds over the replicas' ports. */
    private static final int ROUNDS = 4;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TestingServe.DEADLINE).build();

    /** What a client learned of one answered request. */
    private record Answer(long id, int port, int promptTokens, int completionTokens, int cachedTokens) {}

    @Test
    void sixteenReplicasServeOnePortEachBehindAClientSideRoundRobin(@TempDir Path folder) throws Exception {
        List<Answer> answers = new ArrayList<>();
        RunResult result;
        List<String> replicaMetrics = new ArrayList<>();
        try (TestingServe serve = TestingServe.start(folder, CONFIG, ServeOptions.defaults("127.0.0.1", 0, 50))) {
            List<URI> urls = serve.session.replicaUrls();
            assertThat(urls).hasSize(REPLICAS);
            assertThat(serve.session.replicaPortNumbers()).doesNotHaveDuplicates()
                    .doesNotContain(serve.session.port()).hasSize(REPLICAS);
            assertThat(urls).allSatisfy(url -> assertThat(url.getPath()).isEqualTo("/v1"));

            // every port is a whole OpenAI server; one that has served nothing yet still has its replica's families
            // (the run's first load snapshot, at time 0, came before the first answer)
            answers.add(generate(urls.get(0), 0, 0).get(TestingServe.DEADLINE.toSeconds(), TimeUnit.SECONDS));
            URI last = root(urls.get(REPLICAS - 1));
            HttpResponse<String> idle = get(last.resolve("/metrics"));
            assertThat(idle.statusCode()).as(idle.body()).isEqualTo(200);
            assertThat(idle.body()).contains("vllm:num_requests_running{engine=\"0\",model_name=\"" + MODEL + "\"} 0");
            assertThat(get(last.resolve("/health")).statusCode()).isEqualTo(200);
            assertThat(TestingServe.json(get(last.resolve("/v1/models"))).path("data").get(0).path("id").asText())
                    .isEqualTo(MODEL);
            assertThat(TestingServe.json(post(last.resolve("/tokenize"), "{\"prompt\": \"Hello, world!\"}"))
                    .path("count").asInt()).isEqualTo(4);

            // the client-side round-robin: a third of the requests stream, some are chats
            List<CompletableFuture<Answer>> pending = new ArrayList<>();
            for (int i = 1; i < ROUNDS * REPLICAS; i++) {
                pending.add(generate(urls.get(i % REPLICAS), i % REPLICAS, i));
            }
            for (CompletableFuture<Answer> answer : pending) {
                answers.add(answer.get(TestingServe.DEADLINE.toSeconds(), TimeUnit.SECONDS));
            }

            // the same 100 token ids twice to replica 3: its prefix cache has the first's six full blocks; replica
            // 4's has nothing of them
            String ids = IntStream.range(0, 100).map(i -> 5_000 + i).boxed().toList().toString();
            String cached = "{\"prompt\": " + ids + ", \"max_tokens\": 2}";
            for (int port : new int[] {3, 3, 4}) {
                JsonNode body = TestingServe.json(post(root(urls.get(port)).resolve("/v1/completions"), cached));
                answers.add(answerOf(body, port));
            }
            assertThat(answers.subList(answers.size() - 3, answers.size())).extracting(Answer::cachedTokens)
                    .containsExactly(0, 96, 0);

            // the API port still fronts the whole cluster through its router
            for (int i = 0; i < REPLICAS; i++) {
                HttpResponse<String> routed = post(serve.base.resolve("/v1/completions"),
                        "{\"prompt\": \"routed " + i + "\", \"max_tokens\": 3}");
                assertThat(routed.statusCode()).as(routed.body()).isEqualTo(200);
            }

            // every replica's scraped at once, as a monitoring system may: the scrapes share the sink's answers
            List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
            for (URI url : urls) {
                scrapes.add(client.sendAsync(request(root(url).resolve("/metrics")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> scrape : scrapes) {
                HttpResponse<String> metrics = scrape.get(TestingServe.DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(metrics.statusCode()).isEqualTo(200);
                replicaMetrics.add(metrics.body());
            }
            assertThat(get(serve.base.resolve("/metrics")).body()).contains("engine=\"15\"", "servesim_");
            serve.session.beginShutdown();
            result = serve.session.awaitResult();
        }

        List<CsvRow> rows = requestsCsv(result.outputDirectory().resolve("requests.csv"));
        RunSummary summary = result.summary();
        assertThat(summary.partial()).isFalse();
        assertThat(summary.requests().completed()).isEqualTo(answers.size() + REPLICAS).isEqualTo(rows.size());
        // every request sent to a replica's port ran on that replica
        for (Answer answer : answers) {
            CsvRow row = rows.stream().filter(candidate -> candidate.id == answer.id).findFirst().orElseThrow();
            assertThat(row.replica).as("request %d", answer.id).isEqualTo(answer.port);
            assertThat(row.promptTokens).isEqualTo(answer.promptTokens);
            assertThat(row.outputTokens).isEqualTo(answer.completionTokens);
        }
        long successSum = 0;
        long promptSum = 0;
        for (int replica = 0; replica < REPLICAS; replica++) {
            String metrics = replicaMetrics.get(replica);
            // one vLLM server's families: no other replica's data points, none of servesim's families
            assertThat(metrics).contains("vllm:num_requests_running{", "vllm:time_to_first_token_seconds_bucket{",
                    "vllm:kv_cache_usage_perc{").doesNotContain("servesim_").doesNotContainPattern(
                    "engine=\"[1-9]");
            int port = replica;
            List<Answer> sent = answers.stream().filter(answer -> answer.port == port).toList();
            List<CsvRow> ran = rows.stream().filter(row -> row.replica == port).toList();
            // the port's own requests and one of the router's: pinned requests do not move its round-robin
            assertThat(ran).hasSize(sent.size() + 1);
            assertThat(value(metrics, "vllm:request_success_total", "finished_reason=\"length\""))
                    .as("replica %d", replica).isEqualTo(ran.size());
            assertThat(value(metrics, "vllm:prompt_tokens_total", "")).as("replica %d", replica)
                    .isEqualTo(ran.stream().mapToLong(row -> row.promptTokens).sum());
            assertThat(value(metrics, "vllm:generation_tokens_total", "")).as("replica %d", replica)
                    .isEqualTo(ran.stream().mapToLong(row -> row.outputTokens).sum());
            assertThat(value(metrics, "vllm:prefix_cache_hits_total", "")).as("replica %d", replica)
                    .isEqualTo(replica == 3 ? 96 : 0);
            assertThat(summary.cluster().decisions().get(replica)).isEqualTo(ran.size());
            successSum += value(metrics, "vllm:request_success_total", "finished_reason=\"length\"");
            promptSum += value(metrics, "vllm:prompt_tokens_total", "");
        }
        assertThat(successSum).isEqualTo(summary.requests().completed());
        assertThat(promptSum).isEqualTo(rows.stream().mapToLong(row -> row.promptTokens).sum());
    }

    @Test
    void oneReplicaIsServedOnTheApiPortAndADisaggregatedClusterThroughItsRouterOnly(@TempDir Path folder)
            throws Exception {
        try (TestingServe serve = TestingServe.start(Files.createDirectories(folder.resolve("single")))) {
            assertThat(serve.session.replicaUrls()).containsExactly(serve.session.apiUrl());
            assertThat(serve.session.replicaPortNumbers()).containsExactly(serve.session.port());
        }
        String disaggregated = CONFIG.replace("cluster: {replicas: 16, router: {name: round-robin}}",
                "cluster: {mode: disaggregated, router: {name: round-robin}}");
        try (TestingServe serve = TestingServe.start(Files.createDirectories(folder.resolve("pd")), disaggregated,
                ServeOptions.defaults("127.0.0.1", 0, 50))) {
            assertThat(serve.session.replicaUrls()).isEmpty();
            HttpResponse<String> answer = post(serve.base.resolve("/v1/completions"),
                    "{\"prompt\": \"through the proxy\", \"max_tokens\": 3}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }

    private CompletableFuture<Answer> generate(URI base, int port, int i) {
        boolean stream = i % 3 == 0;
        boolean chat = i % 4 == 1;
        String streaming = stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}}" : "}";
        String body = chat
                ? "{\"messages\": [{\"role\": \"user\", \"content\": \"" + i + " hi\"}], \"max_tokens\": " + (2 + i % 5)
                        + streaming
                : "{\"prompt\": \"" + i + " tell me\", \"max_tokens\": " + (2 + i % 5) + streaming;
        URI uri = root(base).resolve(chat ? "/v1/chat/completions" : "/v1/completions");
        return client.sendAsync(request(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new AssertionError(uri + " answered " + response.statusCode() + ": " + response.body());
                    }
                    try {
                        if (!stream) {
                            return answerOf(TestingServe.json(response), port);
                        }
                        List<String> events = TestingServe.events(response.body());
                        assertThat(events).last().isEqualTo("[DONE]");
                        // the usage event, after the finish chunk
                        JsonNode usage = TestingServe.json(events.get(events.size() - 2));
                        return answerOf(usage, port);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static Answer answerOf(JsonNode body, int port) {
        String id = body.path("id").asText();
        JsonNode usage = body.path("usage");
        return new Answer(Long.parseLong(id.substring(id.indexOf('-') + 1)), port,
                usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(),
                usage.path("prompt_tokens_details").path("cached_tokens").asInt());
    }

    /** The value of the one data point of {@code family} whose labels contain {@code label}. */
    private static long value(String exposition, String family, String label) {
        List<String> lines = exposition.lines().filter(line -> line.startsWith(family + "{") && line.contains(label))
                .toList();
        assertThat(lines).as(family + " " + label).hasSize(1);
        String line = lines.get(0);
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static URI root(URI base) {
        return URI.create(base.toString().replaceFirst("/v1$", ""));
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TestingServe.DEADLINE).header("Content-Type", "application/json");
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return client.send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        return client.send(request(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A row of requests.csv. */
    private record CsvRow(long id, int replica, int promptTokens, int outputTokens) {}

    private static List<CsvRow> requestsCsv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<CsvRow> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells[header.indexOf("status")]).isEqualTo("completed");
            rows.add(new CsvRow(Long.parseLong(cells[header.indexOf("request_id")]),
                    Integer.parseInt(cells[header.indexOf("replica")]),
                    Integer.parseInt(cells[header.indexOf("prompt_tokens")]),
                    Integer.parseInt(cells[header.indexOf("output_tokens")])));
        }
        return rows;
    }
}
