package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.testing.SharedData;
import dev.servesim.workload.config.TraceConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replays of the real traces in ../shared/traces (skipped where that folder is absent). */
class TraceSourceTest {

    private static final String CONVERSATION = "traces/mooncake/conversation_trace.jsonl";
    private static final String SYNTHETIC = "traces/mooncake/synthetic_trace.jsonl";
    private static final String AZURE_CODE = "traces/azure-llm-2023/AzureLLMInferenceTrace_code.csv";
    private static final String AZURE_CONV = "traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv";

    static TraceConfig config(Path file) {
        return new TraceConfig(file.toString(), null, null, null, null, null, null, null, null, null, null, null);
    }

    static TraceConfig config(Path file, Double speedup, Double start, Double end, Long maxRequests, Boolean cold,
            Boolean sessions, Integer maxConcurrency) {
        return new TraceConfig(file.toString(), null, speedup, start, end, maxRequests, cold, sessions, null,
                maxConcurrency, null, null);
    }

    /** Replays open loop (nothing completes), measuring instead of keeping the requests. */
    private static Replay replay(TraceConfig config) {
        Replay replay = new Replay();
        TestingServingContext context = new TestingServingContext(1, Integer.MAX_VALUE, Double.NaN, 0, false)
                .onSubmit(replay::add);
        TraceSource source = new TraceSource(config, context);
        context.run(source);
        replay.counters = source.counters();
        return replay;
    }

    private static final class Replay {
        final PrefixReuse reuse = new PrefixReuse(16);
        long requests;
        long outputTokens;
        double lastArrival;
        Map<String, Long> counters;

        void add(Request request) {
            requests++;
            outputTokens += request.maxOutputTokens();
            lastArrival = request.arrivalTime();
            reuse.add(request);
        }
    }

    @Test
    void mooncakeConversationCountsTokensAndReusableShareTwoWays() throws Exception {
        Path file = SharedData.path(CONVERSATION);
        MooncakeFacts facts = MooncakeFacts.of(file);
        assertThat(facts.requests()).isEqualTo(12_031);
        // the traces README: 105,710 of 288,500 blocks (36.6 %) reusable with an infinite cache
        assertThat(facts.blocks()).isEqualTo(288_500);
        assertThat(facts.reusableBlocks()).isEqualTo(105_710);

        Replay replay = replay(config(file));
        assertThat(replay.requests).isEqualTo(12_031);
        assertThat(replay.reuse.promptTokens()).isEqualTo(facts.promptTokens()).isEqualTo(144_793_823L);
        assertThat(replay.outputTokens).isEqualTo(facts.outputTokens()).isEqualTo(4_122_048L);
        assertThat(replay.lastArrival).isEqualTo(facts.lastTimestampMs() / 1000.0).isEqualTo(3536.999);
        // the same reusable tokens from the hash ids directly and from the generated prompts' 16-token block hashes
        assertThat(replay.reuse.reusableTokens()).isEqualTo(facts.reusableTokens16()).isEqualTo(54_097_440L);
        assertThat(replay.reuse.share()).isCloseTo(0.3736, within(0.0001));
        assertThat(replay.counters).containsEntry("requests", 12_031L).containsEntry("skipped_lines", 0L)
                .containsEntry("prompt_tokens", 144_793_823L);
    }

    @Test
    void mooncakeSyntheticCountsTokensAndReusableShareTwoWays() throws Exception {
        Path file = SharedData.path(SYNTHETIC);
        MooncakeFacts facts = MooncakeFacts.of(file);
        assertThat(facts.requests()).isEqualTo(3_993);
        assertThat(facts.blocks()).isEqualTo(121_877);
        assertThat(facts.reusableBlocks()).isEqualTo(77_953);

        Replay replay = replay(config(file));
        assertThat(replay.requests).isEqualTo(3_993);
        assertThat(replay.reuse.promptTokens()).isEqualTo(facts.promptTokens()).isEqualTo(61_194_628L);
        assertThat(replay.outputTokens).isEqualTo(facts.outputTokens()).isEqualTo(595_432L);
        assertThat(replay.lastArrival).isEqualTo(facts.lastTimestampMs() / 1000.0).isEqualTo(1022.025);
        assertThat(replay.reuse.reusableTokens()).isEqualTo(facts.reusableTokens16()).isEqualTo(39_850_800L);
        assertThat(replay.reuse.share()).isCloseTo(0.6512, within(0.0001));
    }

    @Test
    void azureTracesCountsTokensAndSpans() {
        Replay code = replay(config(SharedData.path(AZURE_CODE)));
        assertThat(code.requests).isEqualTo(8_819);
        assertThat(code.reuse.promptTokens()).isEqualTo(18_059_974L);
        assertThat(code.outputTokens).isEqualTo(245_896L);
        assertThat(code.lastArrival).isCloseTo(3435.948056, within(1e-6));
        // no hashes: every prompt is unique
        assertThat(code.reuse.reusableTokens()).isZero();

        Replay conv = replay(config(SharedData.path(AZURE_CONV)));
        assertThat(conv.requests).isEqualTo(19_366);
        assertThat(conv.reuse.promptTokens()).isEqualTo(22_361_870L);
        assertThat(conv.outputTokens).isEqualTo(4_088_665L);
        assertThat(conv.lastArrival).isCloseTo(3501.721937, within(1e-6));
    }

    @Test
    void speedupWindowAndRequestLimit() {
        Path file = SharedData.path(CONVERSATION);
        Replay fast = replay(config(file, 10.0, null, null, null, null, null, null));
        assertThat(fast.requests).isEqualTo(12_031);
        assertThat(fast.lastArrival).isCloseTo(353.6999, within(1e-9));

        TestingServingContext window = TestingServingContext.openLoop(1);
        window.run(new TraceSource(config(file, 2.0, 600.0, 1200.0, null, null, null, null), window));
        List<Request> requests = window.submitted();
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.arrivalTime()).isBetween(0.0, 300.0));

        TestingServingContext limited = TestingServingContext.openLoop(1);
        limited.run(new TraceSource(config(file, null, 600.0, null, 1000L, null, null, null), limited));
        assertThat(limited.submitted()).hasSize(1000);
        assertThat(limited.submitted().get(0).arrivalTime()).isGreaterThanOrEqualTo(0.0);
        // the window starting at 600 s is the same requests as the full replay's from 600 s on
        assertThat(limited.submitted().get(999).promptTokens()).isEqualTo(requests.get(999).promptTokens());
    }

    @Test
    void coldPromptsShareNothing() {
        Replay cold = replay(config(SharedData.path(SYNTHETIC), null, null, null, null, true, null, null));
        assertThat(cold.requests).isEqualTo(3_993);
        assertThat(cold.reuse.promptTokens()).isEqualTo(61_194_628L);
        assertThat(cold.reuse.reusableTokens()).isZero();
    }

    @Test
    void fixedConcurrencySendsTheNextRequestWhenOneFinishes() {
        Path file = SharedData.path(AZURE_CODE);
        TestingServingContext context = TestingServingContext.serving(1, Integer.MAX_VALUE, 0.5, 0.02);
        TraceSource source = new TraceSource(config(file, null, null, null, 2000L, null, null, 8), context);
        context.run(source);
        assertThat(context.submitted()).hasSize(2000);
        assertThat(context.maxInFlight()).isEqualTo(8);
        // recorded times are ignored: the first eight go at once
        assertThat(context.submitted().subList(0, 8)).allSatisfy(r -> assertThat(r.arrivalTime()).isZero());
        Map<Long, RequestRecord> finished = new LinkedHashMap<>();
        context.records().forEach(r -> finished.put(r.request().id(), r));
        // every later request starts exactly when an earlier one finished
        List<Double> finishTimes = context.records().stream().map(RequestRecord::finishTime).toList();
        assertThat(context.submitted().subList(8, 2000)).allSatisfy(r ->
                assertThat(finishTimes).contains(r.arrivalTime()));
        assertThat(finished).hasSize(2000);
    }

    @Test
    void sessionReplaySendsFollowUpTurnsAfterTheirParentFinishes() {
        Path file = SharedData.path(CONVERSATION);
        TestingServingContext context = TestingServingContext.serving(1, Integer.MAX_VALUE, 2.0, 0.05);
        TraceSource source = new TraceSource(config(file, null, null, null, null, null, true, null), context);
        context.run(source);
        List<Request> requests = context.submitted();
        assertThat(requests).hasSize(12_031);
        // as many follow-up turns as a direct walk over the hash ids finds (see the class comment of TraceSessions)
        assertThat(source.counters()).containsEntry("follow_up_turns", 5_286L)
                .containsEntry("sessions", 12_031L - 5_286L).containsEntry("forgotten_sessions", 0L);
        Map<Long, RequestRecord> records = new LinkedHashMap<>();
        context.records().forEach(r -> records.put(r.request().id(), r));
        Map<Long, Request> lastTurn = new LinkedHashMap<>();
        int followUps = 0;
        for (Request request : requests.stream().sorted((a, b) -> Long.compare(a.id(), b.id())).toList()) {
            Request previous = lastTurn.put(request.sessionId(), request);
            if (request.turn() == 1) {
                assertThat(previous).isNull();
                continue;
            }
            followUps++;
            assertThat(request.turn()).isEqualTo(previous.turn() + 1);
            assertThat(request.arrivalTime()).isGreaterThanOrEqualTo(records.get(previous.id()).finishTime());
        }
        assertThat(followUps).isEqualTo(5_286);
    }

    @Test
    void replayIsDeterministic() {
        TraceConfig config = config(SharedData.path(SYNTHETIC), null, null, null, 500L, null, true, null);
        TestingServingContext first = TestingServingContext.serving(1, Integer.MAX_VALUE, 1.0, 0.01);
        first.run(new TraceSource(config, first));
        TestingServingContext second = TestingServingContext.serving(2, Integer.MAX_VALUE, 1.0, 0.01);
        second.run(new TraceSource(config, second));
        assertThat(first.submitted()).hasSize(500).isEqualTo(second.submitted());
    }
}
