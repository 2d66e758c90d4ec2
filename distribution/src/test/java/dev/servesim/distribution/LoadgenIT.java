package dev.servesim.distribution;

import static dev.servesim.distribution.PackagedDistribution.await;
import static dev.servesim.distribution.PackagedDistribution.log;
import static dev.servesim.distribution.PackagedDistribution.start;
import static dev.servesim.distribution.PackagedDistribution.stop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code servesim loadgen} from the packaged launcher: against {@code servesim serve}, the latencies the client
 * measured are the ones the server simulated, request by request - the output gaps within 5 ms, the TTFT later by
 * the HTTP path outside serve's clock; and a target nobody serves is refused in one line.
 */
class LoadgenIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Largest difference between the mean output gap loadgen measured and the one serve simulated, per request. */
    private static final double ITL_TOLERANCE_MS = 5;
    /**
     * Largest median of (loadgen's TTFT - serve's TTFT): the HTTP path outside serve's clock (curl alone sees 4 to 5 ms
     * on a 2-core machine) and the client's own (about 1 to 3 ms).
     */
    private static final double TTFT_MEDIAN_OFFSET_MS = 15;
    private static final String SERVED = """
            name: served
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 8192}
            cache: {strategy: block-hash}
            sinks: [json, csv]
            """;
    // arrivals at least 10 ms apart with this seed (the test checks it), so client and server agree on their order
    private static final String POISSON = """
            name: poisson
            seed: 5
            workload: {source: poisson, rate: 4, num_requests: 16, prompt_tokens: 512, output_tokens: 32}
            """;
    // four conversations of three turns on one shared 256-token prefix, each turn adding its prompt and the answer
    private static final String MULTITURN = """
            name: multiturn
            seed: 3
            workload:
              source: multiturn
              rate: 4
              num_sessions: 4
              turns: 3
              think_time: 0.3
              prefix_count: 1
              prefix_tokens: 256
              prompt_tokens_distribution: {type: uniform, min: 32, max: 256}
              output_tokens: 24
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    static Path servesim;

    @BeforeAll
    static void unzip() throws Exception {
        servesim = PackagedDistribution.unzip(home).resolve("bin/servesim");
    }

    /** One request as each side saw it: arrival, prompt, TTFT, mean gap between outputs, E2E (ms). */
    private record Seen(double arrivalMs, int promptTokens, double ttftMs, double meanItlMs, double e2eMs) {}

    @Test
    void whatTheClientMeasuresAgainstServeIsWhatServeSimulated() throws Exception {
        Path work = Files.createTempDirectory(home, "serve");
        Files.writeString(work.resolve("served.yaml"), SERVED);
        Files.writeString(work.resolve("poisson.yaml"), POISSON);
        Files.writeString(work.resolve("multiturn.yaml"), MULTITURN);
        Process serve = start(work, "serve", List.of(servesim.toString(), "serve", "served.yaml", "--port", "0",
                "--port-file", "port", "--out", "served"));
        List<Seen> measured = new ArrayList<>();
        try {
            await(serve, work, "serve", "the port file", TIMEOUT, () -> Files.exists(work.resolve("port")));
            String target = "http://127.0.0.1:" + Files.readString(work.resolve("port")).trim();
            warmUp(target);
            measured.addAll(loadgen(work, target, "poisson", 16));
            measured.addAll(loadgen(work, target, "multiturn", 12));
        } finally {
            assertThat(stop(serve)).as(log(work, "serve")).isZero();
        }

        List<Seen> simulated = served(work.resolve("served/requests.csv"));
        // the warm-up request came first
        simulated.remove(0);
        assertThat(simulated).hasSameSizeAs(measured);
        // two conversations' turns sent within a millisecond may reach serve in the other order
        for (int i = 0; i + 1 < measured.size(); i++) {
            if (measured.get(i).promptTokens() != simulated.get(i).promptTokens()
                    && measured.get(i + 1).promptTokens() == simulated.get(i).promptTokens()) {
                measured.add(i, measured.remove(i + 1));
            }
        }
        List<String> differences = new ArrayList<>();
        double[] ttftOffsets = new double[measured.size()];
        for (int i = 0; i < measured.size(); i++) {
            Seen client = measured.get(i);
            Seen server = simulated.get(i);
            assertThat(client.promptTokens()).as("request %d in arrival order", i).isEqualTo(server.promptTokens());
            ttftOffsets[i] = client.ttftMs() - server.ttftMs();
            differences.add(String.format(Locale.ROOT, "%d: ttft %.2f/%.2f itl %.2f/%.2f e2e %.2f/%.2f", i,
                    client.ttftMs(), server.ttftMs(), client.meanItlMs(), server.meanItlMs(), client.e2eMs(),
                    server.e2eMs()));
        }
        String table = String.join("\n", differences);
        for (int i = 0; i < measured.size(); i++) {
            assertThat(measured.get(i).meanItlMs()).as("request %d's mean output gap, ms (loadgen/serve):%n%s", i,
                    table).isCloseTo(simulated.get(i).meanItlMs(), offset(ITL_TOLERANCE_MS));
            assertThat(ttftOffsets[i]).as("request %d: the client cannot see its first token before serve made it%n%s",
                    i, table).isGreaterThan(-1);
        }
        Arrays.sort(ttftOffsets);
        double gap = 0;
        for (int i = 0; i < measured.size(); i++) {
            gap = Math.max(gap, Math.abs(measured.get(i).meanItlMs() - simulated.get(i).meanItlMs()));
        }
        // the agreement, for the record (failsafe keeps it in the test's output file)
        System.out.printf(Locale.ROOT, "loadgen vs serve, %d requests: TTFT offset median %.2f ms (%.2f to %.2f), "
                + "mean output gap within %.2f ms%n%s%n", measured.size(), ttftOffsets[ttftOffsets.length / 2],
                ttftOffsets[0], ttftOffsets[ttftOffsets.length - 1], gap, table);
        assertThat(ttftOffsets[ttftOffsets.length / 2]).as("median TTFT offset, ms (loadgen/serve):%n%s", table)
                .isLessThanOrEqualTo(TTFT_MEDIAN_OFFSET_MS);
        // the multiturn conversations hit serve's prefix cache through the shared prefix and their earlier turns
        JsonNode summary = JSON.readTree(work.resolve("served/summary.json").toFile());
        assertThat(summary.at("/prefix_cache/token_hit_rate").asDouble()).isPositive();
    }

    /** One request before the measured ones, so that none carries serve's start-up (its first request's HTTP path). */
    private static void warmUp(String target) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(target
                + "/v1/completions")).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": [1000, 1001, 1002], \"max_tokens\": 2}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** Runs loadgen with {@code name}.yaml; its completed requests in arrival order, as the trace has them. */
    private static List<Seen> loadgen(Path work, String target, String name, int requests) throws Exception {
        Process loadgen = start(work, name, List.of(servesim.toString(), "loadgen", "--target", target,
                "--workload", name + ".yaml", "--out", name));
        assertThat(loadgen.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(log(work, name)).isTrue();
        assertThat(loadgen.exitValue()).as(log(work, name)).isZero();
        JsonNode summary = JSON.readTree(work.resolve(name + "/summary.json").toFile());
        assertThat(summary.at("/requests/completed").asInt()).as(log(work, name)).isEqualTo(requests);
        assertThat(work.resolve(name + "/metrics-delta.json")).exists();
        List<String> lines = Files.readAllLines(work.resolve(name + "/trace.jsonl"));
        assertThat(JSON.readTree(lines.get(0)).at("/meta/source").asText()).isEqualTo("loadgen-client");
        List<Seen> seen = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            JsonNode record = JSON.readTree(line);
            double[] gaps = new double[record.path("itl_ms").size()];
            for (int i = 0; i < gaps.length; i++) {
                gaps[i] = record.path("itl_ms").get(i).asDouble();
            }
            double ttft = record.path("ttft_ms").asDouble();
            seen.add(new Seen(record.path("arrival_ms").asDouble(), record.path("prompt_tokens").asInt(), ttft,
                    Arrays.stream(gaps).average().orElse(0), ttft + Arrays.stream(gaps).sum()));
        }
        seen.sort(Comparator.comparingDouble(Seen::arrivalMs));
        if (name.equals("poisson")) {
            for (int i = 1; i < seen.size(); i++) {
                assertThat(seen.get(i).arrivalMs() - seen.get(i - 1).arrivalMs()).as("arrival gap")
                        .isGreaterThan(10);
            }
        }
        return seen;
    }

    /** serve's requests.csv, in arrival order. */
    private static List<Seen> served(Path csv) throws IOException {
        List<String> rows = Files.readAllLines(csv);
        Map<String, Integer> column = new HashMap<>();
        String[] header = rows.get(0).split(",", -1);
        for (int i = 0; i < header.length; i++) {
            column.put(header[i], i);
        }
        List<Seen> seen = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            assertThat(cells[column.get("status")]).as(row).isEqualTo("completed");
            seen.add(new Seen(Double.parseDouble(cells[column.get("arrival_s")]) * 1000,
                    Integer.parseInt(cells[column.get("prompt_tokens")]),
                    Double.parseDouble(cells[column.get("ttft_ms")]), Double.parseDouble(cells[column.get("tpot_ms")]),
                    Double.parseDouble(cells[column.get("e2e_ms")])));
        }
        seen.sort(Comparator.comparingDouble(Seen::arrivalMs));
        return seen;
    }

    @Test
    void anUnreachableTargetIsOneLineAndExitCodeTwo() throws Exception {
        Path work = Files.createTempDirectory(home, "unreachable");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Process loadgen = start(work, "loadgen", List.of(servesim.toString(), "loadgen", "--target",
                "http://127.0.0.1:" + closedPort, "--workload",
                servesim.getParent().getParent().resolve("examples/quickstart.yaml").toString(), "--out", "results"));
        assertThat(loadgen.waitFor(2, TimeUnit.MINUTES)).as(log(work, "loadgen")).isTrue();

        assertThat(loadgen.exitValue()).as(log(work, "loadgen")).isEqualTo(2);
        assertThat(Files.readAllLines(work.resolve("loadgen.err"))).singleElement().asString()
                .startsWith("servesim: --target http://127.0.0.1:" + closedPort + ": cannot connect");
        assertThat(work.resolve("results")).doesNotExist();
        assertThat(servesim.getParent().getParent().resolve("lib"))
                .isDirectoryContaining("glob:**servesim-loadgen-*.jar");
    }
}
