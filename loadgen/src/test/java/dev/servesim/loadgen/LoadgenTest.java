package dev.servesim.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.loadgen.TestingOpenAiServer.Answer;
import dev.servesim.runner.RunControl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** servesim loadgen through the real runner, in real time, against a scripted OpenAI endpoint. */
class LoadgenTest {

    // six requests, arriving within a few hundred milliseconds
    private static final String POISSON = """
            seed: 7
            framework: {name: vllm, model: llama-3.1-8b}
            cluster: {replicas: 2}
            workload: {source: poisson, rate: 40, num_requests: 6, prompt_tokens: 40, output_tokens: 5}
            sinks: [json]
            """;
    // two sessions of three turns on one shared 64-token prefix; each turn appends the previous response
    private static final String MULTITURN = """
            seed: 3
            workload:
              source: multiturn
              rate: 20
              num_sessions: 2
              turns: 3
              think_time: 0.01
              prefix_count: 1
              prefix_tokens: 64
              prompt_tokens: 20
              output_tokens: 4
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private final TestingOpenAiServer server = new TestingOpenAiServer();

    LoadgenTest() throws IOException {}

    @AfterEach
    void stopServer() {
        server.close();
    }

    private LoadgenResult run(LoadgenSettings settings) {
        Loadgen loadgen = Loadgen.prepare(settings);
        return loadgen.run(folder.resolve("out"), new RunControl());
    }

    private LoadgenSettings settings(String yaml) throws IOException {
        Path config = Files.writeString(folder.resolve("loadgen.yaml"), yaml);
        return LoadgenSettings.of(server.url(), config);
    }

    private List<JsonNode> trace(String name) throws IOException {
        Path file = folder.resolve("out").resolve(name);
        var stream = Files.newInputStream(file);
        var in = name.endsWith(".gz") ? new GZIPInputStream(stream) : stream;
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void aPoissonWorkloadDrivesTheServerAndWhatTheClientMeasuredIsWritten() throws IOException {
        LoadgenResult result = run(settings(POISSON));
        RunSummary summary = result.run().summary();

        assertThat(summary.partial()).isFalse();
        assertThat(summary.requests().arrived()).isEqualTo(6);
        assertThat(summary.requests().completed()).isEqualTo(6);
        assertThat(result.run().files()).contains("summary.json", "requests.csv", "report.html",
                "config.resolved.yaml", "trace.jsonl", "metrics-delta.json").doesNotContain("trace.jsonl.tmp");
        assertThat(result.notes()).isEmpty();
        assertThat(Files.readAllLines(folder.resolve("out/requests.csv"))).hasSize(7);
        String resolved = Files.readString(folder.resolve("out/config.resolved.yaml"));
        assertThat(resolved).contains("  name: remote\n  url: " + server.url()).contains("strategy: disabled")
                .doesNotContain("vllm");

        // what the server was sent: token ids, max_tokens = the workload's output, streamed with usage
        List<JsonNode> sent = server.completions();
        assertThat(sent).hasSize(6).allSatisfy(body -> {
            assertThat(body.path("model").asText()).isEqualTo(TestingOpenAiServer.MODEL);
            assertThat(body.path("prompt")).hasSize(40).allSatisfy(id -> assertThat(id.asInt()).isBetween(
                    PromptTokens.FIRST_ID, PromptTokens.FIRST_ID + PromptTokens.ID_RANGE - 1));
            assertThat(body.path("max_tokens").asInt()).isEqualTo(5);
            assertThat(body.path("ignore_eos").asBoolean()).isTrue();
            assertThat(body.path("stream").asBoolean()).isTrue();
            assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        });

        List<JsonNode> trace = trace("trace.jsonl");
        JsonNode meta = trace.get(0).path("meta");
        assertThat(meta.path("model").asText()).isEqualTo(TestingOpenAiServer.MODEL);
        assertThat(meta.path("source").asText()).isEqualTo("loadgen-client");
        assertThat(meta.path("block_size").asInt()).isEqualTo(16);
        assertThat(meta.path("max_model_len").asInt()).isEqualTo(TestingOpenAiServer.MAX_MODEL_LEN);
        assertThat(meta.path("pattern").asText()).isEqualTo("poisson");
        assertThat(meta.path("workload").path("rate").asDouble()).isEqualTo(40.0);
        List<JsonNode> records = trace.subList(1, trace.size());
        assertThat(records).hasSize(6);
        assertThat(result.traceRecords()).isEqualTo(6);
        List<List<BigInteger>> sentChains = new ArrayList<>();
        for (JsonNode body : sent) {
            int[] ids = new int[body.path("prompt").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = body.path("prompt").get(i).asInt();
            }
            sentChains.add(unsigned(PromptTokens.blockHashes(ids)));
        }
        for (JsonNode record : records) {
            assertThat(record.path("prompt_tokens").asInt()).isEqualTo(40);
            assertThat(record.path("output_tokens").asInt()).isEqualTo(5);
            assertThat(record.path("cached_tokens").asInt()).isZero();
            assertThat(record.path("ttft_ms").asDouble()).isPositive();
            assertThat(record.path("itl_ms")).hasSize(4).allSatisfy(gap -> assertThat(gap.asDouble()).isNotNegative());
            assertThat(record.has("itl_tokens")).as("every chunk carried one token").isFalse();
            assertThat(record.path("concurrency").asInt()).isBetween(1, 6);
            assertThat(record.path("arrival_ms").asDouble()).isNotNegative();
            assertThat(record.path("finish_reason").asText()).isEqualTo("length");
            // two full blocks of 16 (the 8-token tail is not hashed), chained as the prompt sent
            List<BigInteger> chain = new ArrayList<>();
            record.path("block_hashes").forEach(hash -> chain.add(hash.bigIntegerValue()));
            assertThat(chain).hasSize(2);
            assertThat(sentChains).contains(chain);
        }

        JsonNode metrics = JSON.readTree(folder.resolve("out/metrics-delta.json").toFile());
        assertThat(metrics.path("target").asText()).isEqualTo(server.url());
        assertThat(metrics.path("counters").path("fake:requests_total{model_name=\"fake-model\"}").asLong())
                .isEqualTo(6);
        assertThat(metrics.path("counters").has("fake:running")).as("gauges are no deltas").isFalse();
    }

    @Test
    void conversationsShareTheirPrefixesAsTokenIdsSoTheServersCacheHitsThem() throws IOException {
        LoadgenSettings settings = settings(MULTITURN);
        LoadgenResult result = run(new LoadgenSettings(settings.target(), settings.workload(), List.of(),
                "", "", OptionalLong.empty(), OptionalDouble.empty(), "trace.jsonl.gz", 0));

        assertThat(result.run().summary().requests().completed()).isEqualTo(6);
        List<JsonNode> records = trace("trace.jsonl.gz").subList(1, 7);
        // every prompt starts with the shared 64-token prefix: 4 equal blocks
        assertThat(records).allSatisfy(record -> assertThat(record.path("block_hashes").get(3))
                .isEqualTo(records.get(0).path("block_hashes").get(3)));
        // a later turn's prompt extends an earlier turn's: its chain starts with the earlier chain
        assertThat(records).anySatisfy(later -> assertThat(records).anySatisfy(earlier -> {
            assertThat(earlier.path("block_hashes").size()).isLessThan(later.path("block_hashes").size());
            for (int i = 0; i < earlier.path("block_hashes").size(); i++) {
                assertThat(later.path("block_hashes").get(i)).isEqualTo(earlier.path("block_hashes").get(i));
            }
        }));
        assertThat(records).filteredOn(record -> record.path("cached_tokens").asInt() >= 64)
                .as("turns after the first request hit the shared prefix").hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void theTraceReplaysThroughTheTraceWorkloadSourceWithItsSharedPrefixes() throws IOException {
        run(settings(MULTITURN));
        List<JsonNode> recorded = server.completions();
        Path replay = Files.writeString(folder.resolve("replay.yaml"), "workload: {source: trace, file: "
                + folder.resolve("out/trace.jsonl") + ", format: vcr, replay_sessions: true}\n");
        Loadgen.prepare(LoadgenSettings.of(server.url(), replay)).run(folder.resolve("replayed"), new RunControl());

        List<JsonNode> replayed = server.completions().subList(recorded.size(), server.completions().size());
        assertThat(replayed).extracting(body -> body.path("prompt").size())
                .containsExactlyInAnyOrderElementsOf(recorded.stream().map(body -> body.path("prompt").size()).toList());
        assertThat(replayed).extracting(body -> body.path("max_tokens").asInt()).containsOnly(4);
        // the recorded chains rebuild prompts that share the 64-token prefix again
        for (JsonNode body : replayed) {
            for (int i = 0; i < 64; i++) {
                assertThat(body.path("prompt").get(i)).isEqualTo(replayed.get(0).path("prompt").get(i));
            }
        }
    }

    @Test
    void warmUpRequestsGoFirstAndAreLeftOutOfEverythingTheRunRecords() throws IOException {
        LoadgenSettings defaults = settings(POISSON);
        LoadgenResult result = run(new LoadgenSettings(defaults.target(), defaults.workload(), List.of("framework"
                + ".max_connections=2"), "", "", OptionalLong.empty(), OptionalDouble.empty(),
                LoadgenSettings.DEFAULT_TRACE, 5));

        List<JsonNode> sent = server.completions();
        assertThat(sent).hasSize(11);
        List<JsonNode> warmup = sent.subList(0, 5);
        assertThat(warmup).allSatisfy(body -> {
            assertThat(body.path("prompt")).hasSize(Warmup.PROMPT_TOKENS);
            assertThat(body.path("max_tokens").asInt()).isEqualTo(Warmup.OUTPUT_TOKENS);
            assertThat(body.path("stream").asBoolean()).isTrue();
        });
        // the workload's prompts start with no warm-up prompt's first block, so none is a prefix the cache finds
        for (JsonNode workload : sent.subList(5, 11)) {
            assertThat(workload.path("prompt")).hasSize(40);
            for (JsonNode first : warmup) {
                assertThat(first.path("prompt").get(0).asInt() == workload.path("prompt").get(0).asInt()
                        && first.path("prompt").get(1).asInt() == workload.path("prompt").get(1).asInt()).isFalse();
            }
        }
        assertThat(result.notes()).isEmpty();
        assertThat(result.run().summary().requests().arrived()).isEqualTo(6);
        List<JsonNode> trace = trace("trace.jsonl");
        assertThat(trace).hasSize(7);
        assertThat(trace.get(0).path("meta").path("warmup_requests").asInt()).isEqualTo(5);
        JsonNode metrics = JSON.readTree(folder.resolve("out/metrics-delta.json").toFile());
        assertThat(metrics.path("counters").path("fake:requests_total{model_name=\"fake-model\"}").asLong())
                .as("the server's counters from after the warm-up").isEqualTo(6);
    }

    @Test
    void aWarmUpThatFailsEntirelyStopsBeforeTheRunAndWritesNothing() throws IOException {
        server.answer(Answer.BAD_REQUEST);
        LoadgenSettings defaults = settings(POISSON);
        Loadgen loadgen = Loadgen.prepare(new LoadgenSettings(defaults.target(), defaults.workload(), List.of(), "",
                "", OptionalLong.empty(), OptionalDouble.empty(), LoadgenSettings.DEFAULT_TRACE, 3));

        assertThatThrownBy(() -> loadgen.run(folder.resolve("out"), new RunControl()))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.IO))
                .hasMessage("--warmup: none of the 3 warm-up requests to " + server.url() + " succeeded (first: "
                        + "HTTP 400: the prompt is not welcome)");
        assertThat(server.completions()).hasSize(3);
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void errorAnswersAreRejectionsWithTheServersMessage() throws IOException {
        server.answer(Answer.BAD_REQUEST);
        LoadgenResult result = run(settings(POISSON));

        assertThat(result.run().summary().requests().rejected()).isEqualTo(6);
        assertThat(result.run().summary().requests().rejectedByReason()).containsOnlyKeys("HTTP 400");
        assertThat(Files.readString(folder.resolve("out/requests.csv")))
                .contains("HTTP 400: the prompt is not welcome");
        assertThat(trace("trace.jsonl")).as("the meta line only").hasSize(1);
    }

    @Test
    void aServerThatGoesAwayRejectsEveryRequestAndTheRunStillEnds() throws IOException {
        Loadgen loadgen = Loadgen.prepare(settings(POISSON));
        server.close();
        LoadgenResult result = loadgen.run(folder.resolve("out"), new RunControl());

        assertThat(result.run().summary().requests().rejected()).isEqualTo(6);
        assertThat(result.run().summary().requests().rejectedByReason()).containsOnlyKeys("connection failed");
        assertThat(result.notes()).singleElement().asString().startsWith("no metrics-delta.json: GET /metrics failed");
        assertThat(result.run().files()).doesNotContain("metrics-delta.json");
    }

    @Test
    void aRequestNotDoneWithinTheTimeoutIsRejected() throws IOException {
        server.answer(Answer.HANG);
        LoadgenSettings base = settings(POISSON);
        LoadgenResult result = run(new LoadgenSettings(base.target(), base.workload(),
                List.of("framework.request_timeout=0.3", "workload.num_requests=2"), "", "", OptionalLong.empty(),
                OptionalDouble.empty(), LoadgenSettings.DEFAULT_TRACE, 0));

        assertThat(result.run().summary().requests().rejected()).isEqualTo(2);
        assertThat(Files.readString(folder.resolve("out/requests.csv"))).contains("timeout: not done within 0.3 s");
    }

    @Test
    void aStreamCutShortIsRejected() throws IOException {
        server.answer(Answer.CUT);
        LoadgenResult result = run(settings(POISSON));

        assertThat(result.run().summary().requests().rejectedByReason()).containsOnlyKeys("stream cut");
    }

    @Test
    void theRequestLimitStopsTheRunOnceTheAllowedRequestsHaveEnded() throws IOException {
        LoadgenSettings base = settings(POISSON);
        LoadgenResult result = run(new LoadgenSettings(base.target(), base.workload(),
                List.of("workload.num_requests=40", "workload.rate=200"), "", "", OptionalLong.of(3),
                OptionalDouble.empty(), LoadgenSettings.DEFAULT_TRACE, 0));

        assertThat(result.stoppedAtLimit()).isTrue();
        assertThat(result.run().summary().partial()).isTrue();
        assertThat(result.run().summary().stopReason()).isEqualTo("request limit");
        assertThat(server.completions()).hasSize(3);
        assertThat(result.run().summary().requests().completed()).isEqualTo(3);
        assertThat(result.run().summary().requests().arrived()).isLessThan(40);
        assertThat(result.traceRecords()).isEqualTo(3);
    }

    @Test
    void maxSecondsEndsTheRunAtThatTime() throws IOException {
        LoadgenSettings base = settings(POISSON);
        LoadgenResult result = run(new LoadgenSettings(base.target(), base.workload(),
                List.of("workload.num_requests=100000", "workload.rate=5"), "", "", OptionalLong.empty(),
                OptionalDouble.of(0.5), LoadgenSettings.DEFAULT_TRACE, 0));

        RunSummary summary = result.run().summary();
        assertThat(summary.partial()).isFalse();
        assertThat(summary.simulatedSeconds()).isLessThanOrEqualTo(0.5);
        assertThat(summary.requests().arrived()).isLessThan(100);
    }

    @Test
    void aServerWithoutMetricsIsNotedAndTheRestIsWritten() throws IOException {
        server.withoutMetrics();
        LoadgenResult result = run(settings(POISSON));

        assertThat(result.notes()).containsExactly("no metrics-delta.json: GET /metrics answered HTTP 404");
        assertThat(result.run().summary().requests().completed()).isEqualTo(6);
    }

    @Test
    void aBadTargetIsRefusedInOneLine() throws IOException {
        Path config = Files.writeString(folder.resolve("loadgen.yaml"), POISSON);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> Loadgen.prepare(LoadgenSettings.of("localhost:8000", config)))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessage("--target: expected an http:// or https:// URL of a server, like http://127.0.0.1:8000, "
                        + "got 'localhost:8000'");
        assertThatThrownBy(() -> Loadgen.prepare(LoadgenSettings.of("http://127.0.0.1:" + closedPort, config)))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith("--target http://127.0.0.1:" + closedPort + ": cannot connect")
                .hasMessageEndingWith("is the server running?");
        assertThatThrownBy(() -> Loadgen.prepare(new LoadgenSettings(server.url(), config, List.of(), "other", "",
                OptionalLong.empty(), OptionalDouble.empty(), LoadgenSettings.DEFAULT_TRACE, 0)))
                .hasMessage("--model: " + server.url() + " does not serve 'other'; it serves fake-model");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void theTargetMayBeGivenAsTheOpenAiBaseUrl() throws IOException {
        Path config = Files.writeString(folder.resolve("loadgen.yaml"), POISSON);
        Loadgen loadgen = Loadgen.prepare(LoadgenSettings.of(server.url() + "/v1/", config));

        assertThat(loadgen.model()).isEqualTo(TestingOpenAiServer.MODEL);
        assertThat(loadgen.configuration().framework().name()).isEqualTo("remote");
        assertThat(loadgen.configuration().replicaFrameworks()).hasSize(1);
    }

    private static List<BigInteger> unsigned(long[] hashes) {
        List<BigInteger> values = new ArrayList<>();
        for (long hash : hashes) {
            values.add(new BigInteger(Long.toUnsignedString(hash)));
        }
        return values;
    }
}
