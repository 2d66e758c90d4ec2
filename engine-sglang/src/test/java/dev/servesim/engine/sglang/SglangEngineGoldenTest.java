package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.common.steptime.StepTime;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.engine.sglang.config.SglangConfig;
import dev.servesim.engine.sglang.config.SglangOverheads;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tiny runs worked out by hand from SGLang's scheduler (python/sglang/srt/managers/scheduler.py), every step taking
 * a fixed 0.25 s so that every time is exact, in the normal loop ({@code disable_overlap_schedule}) and with no overheads
 * outside the forward pass; {@link SglangOverheadsGoldenTest} works the overlap loop and the overheads.
 */
class SglangEngineGoldenTest {

    private static final StepTimeModel QUARTER_SECOND = batch -> 0.25;
    /** The goldens time the engine loop alone; {@link SglangOverheadsGoldenTest} adds the overheads. */
    static final SglangOverheads NO_OVERHEADS = new SglangOverheads(0.0, 0.0, 0.0, 0.0);

    static SglangConfig config(Object... keysAndValues) {
        Object[] values = new Object[19];
        values[15] = StepTime.ROOFLINE;
        values[16] = 4096;
        values[17] = true;
        values[18] = NO_OVERHEADS;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values[(Integer) keysAndValues[i]] = keysAndValues[i + 1];
        }
        return new SglangConfig((String) values[0], null, (Integer) values[2], null, null, (Integer) values[5],
                (Double) values[6], (Integer) values[7], (Integer) values[8], (Integer) values[9], (String) values[10],
                (Double) values[11], (String) values[12], (Boolean) values[13], null,
                (StepTime) values[15], (Integer) values[16], (Boolean) values[17], (SglangOverheads) values[18]);
    }

    /*
     * Request 1 (80 tokens: 64 shared + 16 own, 3 outputs) arrives at 0, request 2 (the same 64 + 16 others, 2
     * outputs) at 0.3.
     *   step 1 [0, 0.25]:    prefill 1 (80 tokens, MISS); its first token; its prompt goes into the tree
     *   step 2 [0.25, 0.5]:  decode 1 (nothing waits yet); its second token
     *   step 3 [0.5, 0.75]:  prefill 2 (64 cached, HIT, 16 computed); decoding pauses
     *   step 4 [0.75, 1.0]:  decode 1 and 2: 1's third token and 2's second; both finish
     */
    @Test
    void secondRequestReusesTheSharedPrefixAndPrefillPausesDecode() {
        TestingEngineContext context = new TestingEngineContext();
        SglangEngine engine = new SglangEngine(SglangSetup.of(config()), context, QUARTER_SECOND);
        Request first = Request.single(1, 0.0, PromptContent.of(new Segment(7, 64), new Segment(101, 16)), 3);
        Request second = Request.single(2, 0.3, PromptContent.of(new Segment(7, 64), new Segment(102, 16)), 2);
        for (Request request : List.of(first, second)) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }

        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.recorded().events(2)).containsExactly(
                new Event(Type.QUEUED, 2, 0.3, 0, ""),
                new Event(Type.SCHEDULED, 2, 0.5, 64, "HIT"),
                new Event(Type.PREFILL_CHUNK, 2, 0.75, 16, ""),
                new Event(Type.TOKENS, 2, 0.75, 1, ""),
                new Event(Type.TOKENS, 2, 1.0, 1, ""),
                new Event(Type.FINISHED, 2, 1.0, 0, ""));
        assertThat(context.recorded().events(1)).extracting(Event::type, Event::time).containsExactly(
                tuple(Type.QUEUED, 0.0),
                tuple(Type.SCHEDULED, 0.0),
                tuple(Type.PREFILL_CHUNK, 0.25),
                tuple(Type.TOKENS, 0.25),
                tuple(Type.TOKENS, 0.5),
                tuple(Type.TOKENS, 1.0),
                tuple(Type.FINISHED, 1.0));
        List<StepRecord> steps = context.recordedSteps();
        assertThat(steps).extracting(StepRecord::startTime, StepRecord::prefillTokens, StepRecord::decodeTokens,
                StepRecord::scheduledRequests).containsExactly(
                tuple(0.0, 80, 0, 1),
                tuple(0.25, 0, 1, 1),
                tuple(0.5, 16, 0, 1),
                tuple(0.75, 0, 2, 2));
        assertThat(steps.get(3).kvBlocksUsed()).isZero();
        assertThat(engine.counters()).containsEntry("prefill_steps", 2L).containsEntry("decode_steps", 2L)
                .containsEntry("radix_hit_tokens", 64L).containsEntry("retractions", 0L);
        // both prompts and the outputs whose KV was computed stay in the tree: 64 + 16 + 2 and 16 + 1
        assertThat(engine.scheduler().cache().totalSize()).isEqualTo(64 + 16 + 2 + 16 + 1);
        assertThat(engine.scheduler().cache().protectedSize()).isZero();
    }

    /*
     * The same two requests with the roofline step time of the configuration (milliseconds per step), the second
     * arriving after the first has finished: 1 prefills 80 and decodes twice; 2 finds the shared 64 tokens still in
     * the tree, prefills 16 and decodes once. Prefill steps carry no decode tokens.
     */
    @Test
    void rooflineRunReusesTheTreeAfterTheFirstRequestFinished() {
        TestingEngineContext context = new TestingEngineContext();
        SglangEngine engine = new SglangEngine(SglangSetup.of(config()), context);
        Request first = Request.single(1, 0.0, PromptContent.of(new Segment(7, 64), new Segment(101, 16)), 3);
        Request second = Request.single(2, 1.0, PromptContent.of(new Segment(7, 64), new Segment(102, 16)), 2);
        for (Request request : List.of(first, second)) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }

        context.simulation().run(Double.MAX_VALUE);

        assertThat(engine.info().properties()).containsEntry("step_time_model", "roofline");
        assertThat(context.recorded().events(2)).filteredOn(event -> event.type() == Type.SCHEDULED)
                .extracting(Event::value, Event::detail).containsExactly(tuple(64, "HIT"));
        List<StepRecord> steps = context.recordedSteps();
        assertThat(steps).extracting(StepRecord::prefillTokens, StepRecord::decodeTokens).containsExactly(
                tuple(80, 0),
                tuple(0, 1),
                tuple(0, 1),
                tuple(16, 0),
                tuple(0, 1));
        assertThat(steps).allSatisfy(step -> assertThat(step.duration()).isBetween(1e-4, 0.05));
        // the first step starts at once, every later one when the one before ends (or at the second arrival)
        assertThat(steps.get(1).startTime()).isEqualTo(steps.get(0).startTime() + steps.get(0).duration());
        assertThat(steps.get(3).startTime()).isEqualTo(1.0);
    }

    @Test
    void withoutTheRadixCacheTheSecondRequestComputesItsWholePrompt() {
        TestingEngineContext context = new TestingEngineContext();
        // 13 = disable_radix_cache
        SglangEngine engine = new SglangEngine(SglangSetup.of(config(13, true, 10, "lpm")), context, QUARTER_SECOND);
        Request first = Request.single(1, 0.0, PromptContent.of(new Segment(7, 64), new Segment(101, 16)), 3);
        Request second = Request.single(2, 0.3, PromptContent.of(new Segment(7, 64), new Segment(102, 16)), 2);
        for (Request request : List.of(first, second)) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }

        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.recorded().events(2)).filteredOn(event -> event.type() == Type.SCHEDULED)
                .extracting(Event::value, Event::detail).containsExactly(tuple(0, "MISS"));
        assertThat(context.recordedSteps()).extracting(StepRecord::prefillTokens).containsExactly(80, 0, 80, 0);
        assertThat(engine.scheduler().cache().totalSize()).isZero();
        assertThat(engine.scheduler().usedTokens()).isZero();
        assertThat(engine.counters()).containsEntry("radix_hit_tokens", 0L);
    }

    @Test
    void chunksALongPromptAndLetsOneRequestBeChunkedAtATime() {
        TestingEngineContext context = new TestingEngineContext();
        // 9 = chunked_prefill_size
        SglangEngine engine = new SglangEngine(SglangSetup.of(config(9, 100)), context, QUARTER_SECOND);
        Request request = Request.single(1, 0.0, PromptContent.single(5, 250), 2);
        context.simulation().scheduleAt(0.0, () -> engine.submit(request));

        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.recorded().events(1)).extracting(Event::type, Event::value).containsExactly(
                tuple(Type.QUEUED, 0),
                tuple(Type.SCHEDULED, 0),
                tuple(Type.PREFILL_CHUNK, 100),
                tuple(Type.PREFILL_CHUNK, 100),
                tuple(Type.PREFILL_CHUNK, 50),
                tuple(Type.TOKENS, 1),
                tuple(Type.TOKENS, 1),
                tuple(Type.FINISHED, 0));
        assertThat(context.recordedSteps()).extracting(StepRecord::prefillTokens).containsExactly(100, 100, 50, 0);
    }

    @Test
    void rejectsAPromptLongerThanTheContext() {
        TestingEngineContext context = new TestingEngineContext();
        SglangEngine engine = new SglangEngine(SglangSetup.of(config()), context, QUARTER_SECOND);
        Request request = Request.single(1, 0.0, PromptContent.single(5, 4096), 2);
        context.simulation().scheduleAt(0.0, () -> engine.submit(request));

        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.recorded().events(1)).extracting(Event::type).containsExactly(Type.REJECTED);
        assertThat(context.recorded().events(1).get(0).detail()).contains("context_length");
    }
}
