package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.sim.SimClock;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.testing.SharedData;
import dev.servesim.workload.config.ClientProfileConfig;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.SyntheticConfig;
import dev.servesim.workload.config.TraceConfig;
import dev.servesim.workload.config.TraceDumpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceDumpSinkTest {

    @TempDir
    Path folder;

    /** The sink takes nothing from the summary; the record's shape belongs to the runner and changes with it. */
    private static final RunSummary SUMMARY = null;

    private static DistributionConfig lognormal(double mean, double stddev) {
        return new DistributionConfig("lognormal", null, mean, stddev, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** Conversations with a shared system prompt: plenty of prefix reuse, follow-up turns and varied lengths. */
    private static SyntheticConfig conversations() {
        ClientProfileConfig chat = new ClientProfileConfig("chat", 2.0, null, lognormal(600, 300), lognormal(150, 80),
                lognormal(60, 30), 100, 0.7, DistributionConfig.exponential(3), 6, 0.8, 1.0, 0, null);
        ClientProfileConfig batch = new ClientProfileConfig("batch", 1.0, null, lognormal(1500, 500),
                lognormal(40, 10), null, 0, 0.0, null, 1, 1.0, 1.0, 1, null);
        return new SyntheticConfig(3.0, 400.0, null, List.of(chat, batch), null, null);
    }

    private static TestingServingContext runAndDump(MetricSink sink,
            Function<TestingServingContext, WorkloadSource> source, long seed) {
        TestingServingContext context = TestingServingContext.serving(seed, 8192, 0.3, 0.02)
                .onRecord(sink::onRequestFinished);
        sink.onRunStarted();
        context.run(source.apply(context));
        sink.onRunFinished(SUMMARY);
        return context;
    }

    private static PrefixReuse reuse(List<Request> requests) {
        PrefixReuse reuse = new PrefixReuse(16);
        requests.stream().sorted((a, b) -> a.arrivalTime() != b.arrivalTime()
                ? Double.compare(a.arrivalTime(), b.arrivalTime()) : Long.compare(a.id(), b.id()))
                .forEach(reuse::add);
        return reuse;
    }

    @Test
    void aDumpReplaysWithTheSameCountsTokensAndPrefixStructure() throws Exception {
        Path file = folder.resolve("trace.jsonl");
        TraceDumpSink sink = new TraceDumpSink(file, 16, "dump", 1 << 20);
        SyntheticSource[] original = new SyntheticSource[1];
        TestingServingContext run = runAndDump(sink, context -> original[0] = new SyntheticSource(conversations(),
                context), 21);
        List<Request> sent = run.submitted();
        assertThat(sent.size()).isGreaterThan(1000);
        assertThat(Files.readAllLines(file).get(0))
                .isEqualTo("{\"servesim_trace\":1,\"block_size\":16,\"run\":\"dump\"}");

        TestingServingContext replay = TestingServingContext.serving(21, 8192, 0.3, 0.02);
        TraceSource source = new TraceSource(new TraceConfig(file.toString(), "servesim", null, null, null, null,
                null, null, null, null, null, null), replay);
        replay.run(source);
        List<Request> replayed = replay.submitted();

        assertThat(replayed).hasSize(sent.size());
        assertThat(replayed.stream().mapToLong(Request::promptTokens).sum())
                .isEqualTo(sent.stream().mapToLong(Request::promptTokens).sum());
        assertThat(replayed.stream().mapToLong(Request::maxOutputTokens).sum())
                .isEqualTo(sent.stream().mapToLong(Request::maxOutputTokens).sum());
        PrefixReuse before = reuse(sent);
        PrefixReuse after = reuse(replayed);
        assertThat(before.reusableTokens()).isPositive();
        assertThat(after.reusableTokens()).isEqualTo(before.reusableTokens());
        // the dump is in (arrival, id) order; the replay sends it in that order with every recorded field
        List<Request> ordered = sent.stream().sorted((a, b) -> a.arrivalTime() != b.arrivalTime()
                ? Double.compare(a.arrivalTime(), b.arrivalTime()) : Long.compare(a.id(), b.id())).toList();
        for (int i = 0; i < replayed.size(); i++) {
            Request was = ordered.get(i);
            Request is = replayed.get(i);
            assertThat(is.arrivalTime()).isEqualTo(was.arrivalTime());
            assertThat(is.promptTokens()).isEqualTo(was.promptTokens());
            assertThat(is.maxOutputTokens()).isEqualTo(was.maxOutputTokens());
            assertThat(is.sessionId()).isEqualTo(was.sessionId());
            assertThat(is.turn()).isEqualTo(was.turn());
            assertThat(is.priority()).isEqualTo(was.priority());
            assertThat(is.profile()).isEqualTo(was.profile());
        }
        assertThat(replayed.stream().filter(r -> r.turn() > 1).count())
                .isEqualTo(original[0].counters().get("follow_up_turns"));
    }

    @Test
    void sessionReplayOfADumpReproducesTheArrivalsOnTheSameServer() throws Exception {
        Path file = folder.resolve("sessions.jsonl");
        TraceDumpSink sink = new TraceDumpSink(file, 16, "dump", 1 << 20);
        SyntheticSource[] original = new SyntheticSource[1];
        List<Request> sent = runAndDump(sink, context -> original[0] = new SyntheticSource(conversations(), context),
                5).submitted();

        TestingServingContext replay = TestingServingContext.serving(5, 8192, 0.3, 0.02);
        TraceSource source = new TraceSource(new TraceConfig(file.toString(), null, null, null, null, null, null,
                true, null, null, null, null), replay);
        replay.run(source);
        // turns are found from the block hashes alone, and the think gaps from the recorded e2e
        assertThat(source.counters().get("follow_up_turns")).isEqualTo(original[0].counters().get("follow_up_turns"));
        List<Double> originalTimes = sent.stream().map(Request::arrivalTime).sorted().toList();
        List<Double> replayedTimes = replay.submitted().stream().map(Request::arrivalTime).sorted().toList();
        assertThat(replayedTimes).hasSameSizeAs(originalTimes);
        for (int i = 0; i < originalTimes.size(); i++) {
            assertThat(replayedTimes.get(i)).isCloseTo(originalTimes.get(i), within(1e-6));
        }
    }

    @Test
    void aDumpOfASessionReplayKeepsItsSessions() throws Exception {
        Path trace = SharedData.path("traces/mooncake/conversation_trace.jsonl");
        Path file = folder.resolve("mooncake-sessions.jsonl");
        TraceDumpSink sink = new TraceDumpSink(file, 16, "dump", 1 << 22);
        TraceSource[] original = new TraceSource[1];
        List<Request> sent = runAndDump(sink, context -> original[0] = new TraceSource(new TraceConfig(
                trace.toString(), null, null, null, 900.0, null, null, true, null, null, null, null), context), 1)
                .submitted();
        assertThat(original[0].counters().get("follow_up_turns")).isGreaterThan(500L);

        TestingServingContext replay = TestingServingContext.serving(1, 8192, 0.3, 0.02);
        TraceSource source = new TraceSource(new TraceConfig(file.toString(), null, null, null, null, null, null,
                true, null, null, null, null), replay);
        replay.run(source);
        // the recorded session ids carry the turns that 16-token hashes alone would not (Mooncake's partial tails)
        assertThat(source.counters().get("follow_up_turns")).isEqualTo(original[0].counters().get("follow_up_turns"));
        assertThat(reuse(replay.submitted()).reusableTokens()).isEqualTo(reuse(sent).reusableTokens());
        List<Double> before = sent.stream().map(Request::arrivalTime).sorted().toList();
        List<Double> after = replay.submitted().stream().map(Request::arrivalTime).sorted().toList();
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i)).isCloseTo(before.get(i), within(1e-6));
        }
    }

    @Test
    void linesAreSortedByArrivalEvenWhenSpilledToRuns() throws Exception {
        Path file = folder.resolve("sorted.jsonl");
        // a tiny buffer forces the external merge
        TraceDumpSink sink = new TraceDumpSink(file, 16, "small", 2_000);
        List<Request> sent = runAndDump(sink, context -> new SyntheticSource(conversations(), context), 8)
                .submitted();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(sent.size() + 1);
        TestingServingContext replay = TestingServingContext.openLoop(1);
        replay.run(new TraceSource(new TraceConfig(file.toString(), null, null, null, null, null, null, null, null,
                null, null, null), replay));
        List<Request> replayed = replay.submitted();
        for (int i = 1; i < replayed.size(); i++) {
            assertThat(replayed.get(i).arrivalTime()).isGreaterThanOrEqualTo(replayed.get(i - 1).arrivalTime());
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(path -> path.getFileName().toString()).toList()).containsExactly("sorted.jsonl");
        }
    }

    @Test
    void measuredFieldsAreWrittenAndTimesThatNeverHappenedLeftOut() throws Exception {
        Path file = folder.resolve("fields.jsonl");
        TraceDumpSink sink = new TraceDumpSink(file, 4, "f", 1 << 20);
        sink.onRunStarted();
        Request done = new Request(7, 3, 2, 1.5, PromptContent.single(42, 10), 5, 1, "chat, \"quoted\"");
        sink.onRequestFinished(new RequestRecord(done, 1, RequestStatus.COMPLETED, "", 1.5, 1.6, 1.75, 2.0, 5, 8,
                "HIT", 0, 0.0625, 0.1));
        Request refused = new Request(2, 2, 1, 1.0, PromptContent.single(43, 9), 3, 0, "");
        sink.onRequestFinished(new RequestRecord(refused, 0, RequestStatus.REJECTED, "prompt too long", 1.0,
                Double.NaN, Double.NaN, 1.0, 0, 0, "", 0, Double.NaN, Double.NaN));
        sink.onRunFinished(SUMMARY);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("{\"id\":2,\"session_id\":2,\"turn\":1,\"arrival\":1.0,\"prompt_tokens\":9,"
                + "\"output_tokens\":3,\"priority\":0,\"profile\":\"\",\"block_hashes\":[" + hashes(43, 9, 4)
                + "],\"status\":\"rejected\",\"reason\":\"prompt too long\",\"replica\":0,\"cached_tokens\":0,"
                + "\"generated_tokens\":0,\"preemptions\":0}");
        assertThat(lines.get(2)).isEqualTo("{\"id\":7,\"session_id\":3,\"turn\":2,\"arrival\":1.5,\"prompt_tokens\":10,"
                + "\"output_tokens\":5,\"priority\":1,\"profile\":\"chat, \\\"quoted\\\"\",\"block_hashes\":["
                + hashes(42, 10, 4) + "],\"status\":\"completed\",\"replica\":1,\"cached_tokens\":8,"
                + "\"generated_tokens\":5,\"preemptions\":0,\"queue_time\":0.10000000000000009,\"ttft\":0.25,"
                + "\"mean_itl\":0.0625,\"max_itl\":0.1,\"e2e\":0.5}");
    }

    private static String hashes(long content, int tokens, int blockSize) {
        BlockHashChain chain = BlockHashChain.of(PromptContent.single(content, tokens), blockSize);
        List<String> values = new ArrayList<>();
        for (long hash : chain.hashes()) {
            values.add(Long.toString(hash));
        }
        return String.join(",", values);
    }

    @Test
    void theFactoryWritesIntoTheOutputFolder() throws Exception {
        TraceDumpSinkFactory factory = new TraceDumpSinkFactory();
        SinkContext context = new SinkContext() {
            @Override
            public String runName() {
                return "named";
            }

            @Override
            public Path outputDirectory() {
                return folder;
            }

            @Override
            public SimClock clock() {
                return () -> 0;
            }

            @Override
            public String configurationYaml() {
                return "";
            }
        };
        MetricSink sink = factory.create(new TraceDumpConfig(null, null), context);
        sink.onRunStarted();
        sink.onRunFinished(SUMMARY);
        assertThat(Files.readString(folder.resolve("trace.jsonl")))
                .isEqualTo("{\"servesim_trace\":1,\"block_size\":16,\"run\":\"named\"}\n");
        MetricSink nested = factory.create(new TraceDumpConfig("dumps/t.jsonl", 8), context);
        nested.onRunStarted();
        nested.onRunFinished(SUMMARY);
        assertThat(folder.resolve("dumps/t.jsonl")).exists();
    }
}
