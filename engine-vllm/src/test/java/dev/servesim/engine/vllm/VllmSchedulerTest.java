package dev.servesim.engine.vllm;

import static dev.servesim.testing.RecordingRequestListener.Type.FINISHED;
import static dev.servesim.testing.RecordingRequestListener.Type.PREEMPTED;
import static dev.servesim.testing.RecordingRequestListener.Type.PREFILL_CHUNK;
import static dev.servesim.testing.RecordingRequestListener.Type.QUEUED;
import static dev.servesim.testing.RecordingRequestListener.Type.REJECTED;
import static dev.servesim.testing.RecordingRequestListener.Type.SCHEDULED;
import static dev.servesim.testing.RecordingRequestListener.Type.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden schedules computed by hand from the reference (§2.2 to §3.5, §2.6), with every step taking {@link #STEP}
 * seconds so that event times are exact. Most use the synchronous engine loop, where a schedule is easiest to follow;
 * the asynchronous ones say so.
 */
class VllmSchedulerTest {

    private static final double STEP = 0.5;
    private static final StepTimeModel CONSTANT = batch -> STEP;

    private TestingEngineContext context;
    private VllmEngine engine;

    @Test
    void chunksALongPrefillAndAdmitsALaterRequestWithTheBudgetLeft() {
        start(config(null, 64, null, 100, "fcfs", null), false);
        submit(Request.single(1, 0.0, PromptContent.single(101, 150), 3));
        submit(Request.single(2, 0.25, PromptContent.single(102, 20), 2));

        run();

        // step 1 [0, 0.5]: 64 of 150; step 2: 64 more, nothing left for request 2 (arrived at 0.25);
        // step 3: the last 22 plus request 2's 20 in the 42 left; both sample their first token
        assertThat(context.recorded().events()).containsExactly(
                event(QUEUED, 1, 0.0, 0), scheduled(1, 0.0, 0),
                event(QUEUED, 2, 0.25, 0),
                event(PREFILL_CHUNK, 1, 0.5, 64),
                event(PREFILL_CHUNK, 1, 1.0, 64),
                scheduled(2, 1.0, 0),
                event(PREFILL_CHUNK, 1, 1.5, 22), event(TOKENS, 1, 1.5, 1),
                event(PREFILL_CHUNK, 2, 1.5, 20), event(TOKENS, 2, 1.5, 1),
                event(TOKENS, 1, 2.0, 1), event(TOKENS, 2, 2.0, 1), event(FINISHED, 2, 2.0, 0),
                event(TOKENS, 1, 2.5, 1), event(FINISHED, 1, 2.5, 0));
        assertThat(context.recordedSteps()).containsExactly(
                step(0.0, 64, 0, 1, 1, 1, 4, 0),
                step(0.5, 64, 0, 1, 1, 1, 8, 0),
                step(1.0, 42, 0, 2, 2, 0, 10 + 2, 0),
                step(1.5, 0, 2, 2, 1, 0, 10, 0),
                step(2.0, 0, 1, 1, 0, 0, 0, 0));
    }

    @Test
    void capsEachChunkAtTheLongPrefillThreshold() {
        start(config(null, null, null, 100, "fcfs", 40), false);
        submit(Request.single(1, 0.0, PromptContent.single(101, 100), 1));

        run();

        assertThat(context.recorded().events(1)).containsExactly(
                event(QUEUED, 1, 0.0, 0), scheduled(1, 0.0, 0),
                event(PREFILL_CHUNK, 1, 0.5, 40),
                event(PREFILL_CHUNK, 1, 1.0, 40),
                event(PREFILL_CHUNK, 1, 1.5, 20), event(TOKENS, 1, 1.5, 1), event(FINISHED, 1, 1.5, 0));
    }

    @Test
    void preemptsTheLastAdmittedRequestWhenBlocksRunOutAndRecomputesItLater() {
        // 4 usable blocks of 16 tokens; each request ends with 39 positions of KV, so 3 blocks
        start(config(null, null, null, 5, "fcfs", null), false);
        submit(Request.single(1, 0.0, PromptContent.single(101, 30), 10));
        submit(Request.single(2, 0.0, PromptContent.single(102, 30), 10));

        run();

        // steps 1-3 fill both requests' 2 blocks; at 1.5 request 1 needs a 3rd block for position 32, and the
        // tail of running (request 2) is preempted; it does not fit again (33 tokens, 3 blocks, 1 free) until
        // request 1 finishes at 5.0, then recomputes prompt and 3 outputs in one chunk
        assertThat(context.recorded().events(2)).containsExactly(
                event(QUEUED, 2, 0.0, 0), scheduled(2, 0.0, 0),
                event(PREFILL_CHUNK, 2, 0.5, 30), event(TOKENS, 2, 0.5, 1),
                event(TOKENS, 2, 1.0, 1),
                event(TOKENS, 2, 1.5, 1),
                event(PREEMPTED, 2, 1.5, 0),
                scheduled(2, 5.0, 0),
                event(PREFILL_CHUNK, 2, 5.5, 33), event(TOKENS, 2, 5.5, 1),
                event(TOKENS, 2, 6.0, 1), event(TOKENS, 2, 6.5, 1), event(TOKENS, 2, 7.0, 1),
                event(TOKENS, 2, 7.5, 1), event(TOKENS, 2, 8.0, 1), event(TOKENS, 2, 8.5, 1),
                event(FINISHED, 2, 8.5, 0));
        assertThat(tokenTimes(1)).containsExactly(0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0);
        assertThat(finishTime(1)).isEqualTo(5.0);

        List<StepRecord> steps = context.recordedSteps();
        assertThat(steps).hasSize(17);
        assertThat(steps.get(3)).isEqualTo(step(1.5, 0, 1, 1, 1, 1, 3, 1));
        assertThat(steps.get(4)).isEqualTo(step(2.0, 0, 1, 1, 1, 1, 3, 0));
        assertThat(steps.get(10)).isEqualTo(step(5.0, 33, 0, 1, 1, 0, 3, 0));
        assertThat(steps.stream().mapToInt(StepRecord::preemptions).sum()).isEqualTo(1);
    }

    @Test
    void priorityPolicyPreemptsTheLeastUrgentRequestAndUndoesItsScheduling() {
        start(config(null, null, null, 5, "priority", null), false);
        submit(new Request(1, 1, 1, 0.0, PromptContent.single(101, 20), 20, 5, ""));
        submit(new Request(2, 2, 1, 0.25, PromptContent.single(102, 28), 10, 0, ""));

        run();

        // at 3.0 request 2 needs its 3rd block; request 1 (priority 5) was already scheduled in that step, so its
        // decode is undone and it is preempted; it comes back after request 2 finishes and recomputes 26 tokens
        assertThat(context.recorded().events(PREEMPTED)).containsExactly(event(PREEMPTED, 1, 3.0, 0));
        assertThat(context.recordedSteps().get(6)).isEqualTo(step(3.0, 0, 1, 1, 1, 1, 3, 1));
        assertThat(finishTime(2)).isEqualTo(5.5);
        assertThat(context.recorded().events(1)).contains(scheduled(1, 5.5, 0), event(PREFILL_CHUNK, 1, 6.0, 26));
        assertThat(finishTime(1)).isEqualTo(12.5);
        assertThat(context.recorded().outputTokens(1)).isEqualTo(20);
        assertThat(context.recorded().outputTokens(2)).isEqualTo(10);
    }

    @Test
    void fcfsPolicyLetsTheRequestAskingForBlocksPreemptItselfWhenItIsTheTail() {
        start(config(null, null, null, 5, "fcfs", null), false);
        submit(new Request(1, 1, 1, 0.0, PromptContent.single(101, 20), 20, 5, ""));
        submit(new Request(2, 2, 1, 0.25, PromptContent.single(102, 28), 10, 0, ""));

        run();

        // request 2 is the tail of running, so it is its own victim; it needs 3 blocks for its 33 tokens and gets
        // them when request 1 finishes at 10.0
        assertThat(context.recorded().events(PREEMPTED)).containsExactly(event(PREEMPTED, 2, 3.0, 0));
        assertThat(finishTime(1)).isEqualTo(10.0);
        assertThat(context.recorded().events(2)).contains(scheduled(2, 10.0, 0), event(PREFILL_CHUNK, 2, 10.5, 33));
        assertThat(finishTime(2)).isEqualTo(12.5);
    }

    @Test
    void maxNumSeqsLimitsAdmission() {
        start(config(2, null, null, 100, "fcfs", null), false);
        for (int id = 1; id <= 3; id++) {
            submit(Request.single(id, 0.0, PromptContent.single(100 + id, 10), 2));
        }

        run();

        assertThat(context.recorded().events()).containsExactly(
                event(QUEUED, 1, 0.0, 0), event(QUEUED, 2, 0.0, 0), event(QUEUED, 3, 0.0, 0),
                scheduled(1, 0.0, 0), scheduled(2, 0.0, 0),
                event(PREFILL_CHUNK, 1, 0.5, 10), event(TOKENS, 1, 0.5, 1),
                event(PREFILL_CHUNK, 2, 0.5, 10), event(TOKENS, 2, 0.5, 1),
                event(TOKENS, 1, 1.0, 1), event(FINISHED, 1, 1.0, 0),
                event(TOKENS, 2, 1.0, 1), event(FINISHED, 2, 1.0, 0),
                scheduled(3, 1.0, 0),
                event(PREFILL_CHUNK, 3, 1.5, 10), event(TOKENS, 3, 1.5, 1),
                event(TOKENS, 3, 2.0, 1), event(FINISHED, 3, 2.0, 0));
    }

    @Test
    void rejectsAPromptThatLeavesNoRoomForOutputAndCapsTheOutputAtMaxModelLen() {
        start(config(null, null, 64, 100, "fcfs", null), false);
        submit(Request.single(1, 0.0, PromptContent.single(101, 64), 10));
        submit(Request.single(2, 0.0, PromptContent.single(102, 63), 10));

        run();

        assertThat(context.recorded().events()).containsExactly(
                new Event(REJECTED, 1, 0.0, 0, "prompt longer than max_model_len: 64 tokens, max_model_len 64"),
                event(QUEUED, 2, 0.0, 0), scheduled(2, 0.0, 0),
                event(PREFILL_CHUNK, 2, 0.5, 63), event(TOKENS, 2, 0.5, 1), event(FINISHED, 2, 0.5, 0));
    }

    @Test
    void rejectsARequestThatCouldNeverFitThePool() {
        // 2 usable blocks: 32 positions; request 1 would end with 30 + 4 - 1 = 33 positions of KV
        start(config(null, null, null, 3, "fcfs", null), false);
        submit(Request.single(1, 0.0, PromptContent.single(101, 30), 4));
        submit(Request.single(2, 0.0, PromptContent.single(102, 30), 2));

        run();

        assertThat(context.recorded().events(1)).containsExactly(new Event(REJECTED, 1, 0.0, 0,
                "request larger than the KV cache: it needs 3 KV blocks for its prompt and output,"
                        + " more than the 2 blocks of the pool"));
        assertThat(finishTime(2)).isEqualTo(1.0);
    }

    @Test
    void sharesCachedPrefixBlocksWithinAStepAndAcrossRequests() {
        start(config(null, null, null, 11, "fcfs", null), true);
        PromptContent first = PromptContent.of(new Segment(7, 48), new Segment(100, 16));
        submit(Request.single(1, 0.0, first, 2));
        submit(Request.single(2, 0.0, PromptContent.of(new Segment(7, 48), new Segment(200, 16)), 2));
        // the same 64 tokens again: 4 blocks are cached but at most (64 - 1) / 16 = 3 may hit
        submit(Request.single(3, 2.0, first, 1));

        run();

        // request 2 is admitted after request 1 in the same step and already hits the 3 shared blocks that
        // request 1's chunk fills
        assertThat(context.recorded().events(SCHEDULED)).containsExactly(
                new Event(SCHEDULED, 1, 0.0, 0, "MISS"),
                new Event(SCHEDULED, 2, 0.0, 48, "HIT"),
                new Event(SCHEDULED, 3, 2.0, 48, "HIT"));
        assertThat(context.recorded().events(PREFILL_CHUNK)).extracting(Event::value).containsExactly(64, 16, 16);
        // 4 + 1 blocks after step 1, 1 more each for the decode
        assertThat(context.recordedSteps()).extracting(StepRecord::kvBlocksUsed).containsExactly(5, 0, 0);
        assertThat(context.cache().stats().hitTokens()).isEqualTo(96);
    }

    @Test
    void registersBlocksFilledByGeneratedTokensSoAFollowUpTurnHitsThem() {
        start(config(null, null, null, 100, "fcfs", null), true);
        Request turn1 = new Request(1, 1, 1, 0.0, PromptContent.single(400, 20), 30, 0, "");
        submit(turn1);
        PromptContent followUp = PromptContent.of(
                new Segment(400, 20), new Segment(turn1.outputContentId(), 30), new Segment(500, 10));
        submit(new Request(2, 1, 2, 100.0, followUp, 1, 0, ""));

        run();

        // turn 1 held KV for 20 + 30 - 1 = 49 positions: 3 full blocks, one of them all generated tokens
        assertThat(context.recorded().events(SCHEDULED))
                .containsExactly(new Event(SCHEDULED, 1, 0.0, 0, "MISS"), new Event(SCHEDULED, 2, 100.0, 48, "HIT"));
        assertThat(context.recorded().events(2)).contains(event(PREFILL_CHUNK, 2, 100.5, 60 - 48));
    }

    @Test
    void asyncSchedulingRegistersTheBlockTheLastTokenInFlightFillsWhenItArrives() {
        start(asyncConfig(100), true);
        // 20 + 29 - 1 = 48 positions of KV: the third block is filled by the last decode, which is scheduled while
        // the token before it is still in flight; vLLM's async scheduler caches it when the tokens arrive
        Request turn1 = new Request(1, 1, 1, 0.0, PromptContent.single(400, 20), 29, 0, "");
        submit(turn1);
        PromptContent followUp = PromptContent.of(
                new Segment(400, 20), new Segment(turn1.outputContentId(), 29), new Segment(500, 10));
        submit(new Request(2, 1, 2, 100.0, followUp, 1, 0, ""));

        run();

        assertThat(context.recorded().events(SCHEDULED))
                .containsExactly(new Event(SCHEDULED, 1, 0.0, 0, "MISS"), new Event(SCHEDULED, 2, 100.0, 48, "HIT"));
    }

    private void start(VllmConfig config, boolean prefixCache) {
        context = new TestingEngineContext(1, prefixCache ? "block-hash" : "disabled");
        engine = new VllmEngine(VllmSetup.of(config), context, CONSTANT);
    }

    private void submit(Request request) {
        context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
    }

    private void run() {
        context.simulation().run(Double.MAX_VALUE);
        assertThat(engine.load().running()).isZero();
        assertThat(engine.load().waiting()).isZero();
        assertThat(engine.load().kvBlocksUsed()).isZero();
    }

    @Test
    void asyncSchedulingPlansTheNextStepWhileOneRunsWithoutChangingALoneRequestsTimes() {
        start(asyncConfig(100), false);
        submit(Request.single(1, 0.0, PromptContent.single(101, 20), 3));

        run();

        // step 1 [0, 0.5] prefills and samples; its decode is planned at 0 with the first token in flight; the third
        // output is already in flight when step 3 runs, so nothing is planned after it
        assertThat(context.recorded().events(1)).containsExactly(
                event(QUEUED, 1, 0.0, 0), scheduled(1, 0.0, 0),
                event(PREFILL_CHUNK, 1, 0.5, 20), event(TOKENS, 1, 0.5, 1),
                event(TOKENS, 1, 1.0, 1),
                event(TOKENS, 1, 1.5, 1), event(FINISHED, 1, 1.5, 0));
        assertThat(context.recordedSteps()).extracting(StepRecord::startTime).containsExactly(0.0, 0.5, 1.0);
        assertThat(context.recordedSteps()).extracting(StepRecord::decodeTokens).containsExactly(0, 1, 1);
    }

    @Test
    void asyncSchedulingAdmitsARequestArrivingDuringAStepIntoTheStepAfterTheNext() {
        start(asyncConfig(100), false);
        submit(Request.single(1, 0.0, PromptContent.single(101, 20), 6));
        submit(Request.single(2, 0.25, PromptContent.single(102, 20), 1));

        run();

        // request 2 arrives while step 1 runs and step 2 is already planned: it is scheduled at 0.5 into step 3
        // [1.0, 1.5]; the synchronous loop would run it in step 2 and give its token at 1.0
        assertThat(context.recorded().events(2)).containsExactly(
                event(QUEUED, 2, 0.25, 0), scheduled(2, 0.5, 0),
                event(PREFILL_CHUNK, 2, 1.5, 20), event(TOKENS, 2, 1.5, 1), event(FINISHED, 2, 1.5, 0));
        assertThat(tokenTimes(1)).containsExactly(0.5, 1.0, 1.5, 2.0, 2.5, 3.0);
    }

    @Test
    void asyncSchedulingStillAppendsTheTokenInFlightForARequestPreemptedMeanwhile() {
        // 5 usable blocks of 16 tokens; request 1 (prompt 30, 8 outputs) and request 2 (prompt 30, 8 outputs) need 2
        // blocks each at first and a third when their positions reach 32
        start(asyncConfig(5), false);
        submit(Request.single(1, 0.0, PromptContent.single(101, 30), 8));
        submit(Request.single(2, 0.0, PromptContent.single(102, 30), 8));

        run();

        assertThat(context.recorded().events(2)).extracting(Event::type).contains(PREEMPTED);
        Event preempted = context.recorded().events(2).stream().filter(e -> e.type() == PREEMPTED).findFirst()
                .orElseThrow();
        // the step in flight when request 2 was preempted still delivers its token, half a step later
        assertThat(tokenTimes(2)).contains(preempted.time() + STEP);
        assertThat(tokenTimes(1)).hasSize(8);
        assertThat(tokenTimes(2)).hasSize(8);
        assertThat(finishTime(2)).isGreaterThan(finishTime(1));
    }

    private List<Double> tokenTimes(long id) {
        return context.recorded().events(id).stream().filter(e -> e.type() == TOKENS).map(Event::time).toList();
    }

    private double finishTime(long id) {
        return context.recorded().events(id).stream().filter(e -> e.type() == FINISHED).findFirst().orElseThrow()
                .time();
    }

    static VllmConfig config(Integer maxNumSeqs, Integer maxNumBatchedTokens, Integer maxModelLen,
            Integer numGpuBlocks, String policy, Integer longPrefillTokenThreshold) {
        return TestingVllmConfig.of("max_num_seqs", maxNumSeqs, "max_num_batched_tokens", maxNumBatchedTokens,
                "max_model_len", maxModelLen, "block_size", 16, "num_gpu_blocks", numGpuBlocks,
                "scheduling_policy", policy, "long_prefill_token_threshold", longPrefillTokenThreshold,
                "async_scheduling", false);
    }

    private static VllmConfig asyncConfig(Integer numGpuBlocks) {
        return TestingVllmConfig.of("block_size", 16, "num_gpu_blocks", numGpuBlocks, "async_scheduling", true);
    }

    private static Event event(Type type, long id, double time, int value) {
        return new Event(type, id, time, value, "");
    }

    private static Event scheduled(long id, double time, int cachedTokens) {
        return new Event(SCHEDULED, id, time, cachedTokens, "MISS");
    }

    private StepRecord step(double start, int prefill, int decode, int scheduled, int running, int waiting,
            int kvUsed, int preemptions) {
        return new StepRecord(0, start, STEP, prefill, decode, scheduled, running, waiting, kvUsed,
                engine.load().kvBlocksTotal(), preemptions);
    }
}
