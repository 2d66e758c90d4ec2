package dev.servesim.distribution;

import static dev.servesim.distribution.PackagedDistribution.await;
import static dev.servesim.distribution.PackagedDistribution.log;
import static dev.servesim.distribution.PackagedDistribution.start;
import static dev.servesim.distribution.PackagedDistribution.stop;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/servesim serve} from the zip: it ships the serve module in lib/, listens where its port file says,
 * answers OpenAI requests with the simulated engine, and on SIGTERM drains, writes the run's outputs and exits 0.
 */
class ServeIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String CONFIG = """
            name: served
            seed: 3
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 8192}
            cache: {strategy: block-hash}
            sinks: [json, csv]
            """;

    @TempDir
    static Path home;

    static Path distribution;

    @BeforeAll
    static void unzip() throws Exception {
        distribution = PackagedDistribution.unzip(home);
    }

    @Test
    void servesUntilSigtermThenWritesTheRunAndExitsZero() throws Exception {
        assertThat(distribution.resolve("lib")).isDirectoryContaining("glob:**servesim-serve-*.jar");
        Path work = Files.createTempDirectory(home, "serve");
        Files.writeString(work.resolve("serve.yaml"), CONFIG);
        Process serve = start(work, "serve", List.of(distribution.resolve("bin/servesim").toString(), "serve",
                "serve.yaml", "--port", "0", "--port-file", "port", "--time-scale", "20", "--out", "results"));
        await(serve, work, "serve", "the port file", TIMEOUT, () -> Files.exists(work.resolve("port")));
        int port = Integer.parseInt(Files.readString(work.resolve("port")).trim());
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> completion = client.send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                .timeout(TIMEOUT).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString("{\"model\": \"llama-3.1-8b\", \"prompt\": \"Hello\", \"max_tokens\": 5}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
        JsonNode usage = new ObjectMapper().readTree(completion.body()).path("usage");
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(5);
        HttpResponse<String> stream = client.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", "
                        + "\"content\": \"Hi\"}], \"max_tokens\": 3, \"stream\": true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).startsWith("data: {").endsWith("data: [DONE]\n\n");
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(TIMEOUT)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("vllm:request_success_total{");

        int exitCode = stop(serve);

        assertThat(exitCode).as(log(work, "serve")).isZero();
        assertThat(Files.readString(work.resolve("serve.out"))).as(log(work, "serve"))
                .contains("servesim: serving llama-3.1-8b at " + base + "/v1")
                .contains("requests   arrived 2, completed 2");
        JsonNode summary = new ObjectMapper().readTree(work.resolve("results/summary.json").toFile());
        assertThat(summary.at("/requests/completed").asInt()).isEqualTo(2);
        assertThat(summary.at("/partial").asBoolean()).isFalse();
        assertThat(Files.readAllLines(work.resolve("results/requests.csv"))).hasSize(3);
    }

    @Test
    void standsInForEachReplicaOfAClusterOnAPortOfItsOwn() throws Exception {
        Path work = Files.createTempDirectory(home, "cluster");
        Files.writeString(work.resolve("cluster.yaml"), CONFIG + "cluster: {replicas: 4}\n");
        Process serve = start(work, "serve", List.of(distribution.resolve("bin/servesim").toString(), "serve",
                "cluster.yaml", "--port-file", "port", "--replica-ports-file", "replica-ports", "--time-scale", "20",
                "--out", "results"));
        await(serve, work, "serve", "the replica ports file", TIMEOUT,
                () -> Files.exists(work.resolve("replica-ports")));
        List<String> ports = Files.readAllLines(work.resolve("replica-ports"));
        assertThat(ports).hasSize(4).doesNotHaveDuplicates()
                .doesNotContain(Files.readString(work.resolve("port")).trim());
        URI replica = URI.create("http://127.0.0.1:" + ports.get(2));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> completion = client.send(HttpRequest.newBuilder(replica.resolve("/v1/completions"))
                .timeout(TIMEOUT).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString("{\"prompt\": \"Hello\", \"max_tokens\": 5}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(replica.resolve("/metrics"))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("vllm:request_success_total{engine=\"0\",finished_reason=\"length\","
                + "model_name=\"llama-3.1-8b\"} 1.0").doesNotContain("servesim_");

        int exitCode = stop(serve);

        assertThat(exitCode).as(log(work, "serve")).isZero();
        assertThat(Files.readString(work.resolve("serve.out"))).as(log(work, "serve"))
                .contains("servesim: 4 replicas behind the router (round-robin)")
                .contains("servesim: replica 2 at " + replica + "/v1");
        List<String> rows = Files.readAllLines(work.resolve("results/requests.csv"));
        assertThat(rows).hasSize(2);
        int column = List.of(rows.get(0).split(",")).indexOf("replica");
        assertThat(rows.get(1).split(",")[column]).isEqualTo("2");
    }
}
