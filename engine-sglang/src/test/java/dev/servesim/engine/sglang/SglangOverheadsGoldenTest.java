package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.engine.sglang.config.SglangOverheads;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The costs around the forward pass, worked by hand: each GPU step takes 0.25 s; the scheduler's CPU work 0.1 s a step
 * (plus 0.02 s per request where said); a request reaches the waiting queue 0.1 s after it arrives and its tokens
 * reach the client 0.05 s after their step. One request of 80 prompt tokens and 3 outputs arrives at 0.
 */
class SglangOverheadsGoldenTest {

    private static final StepTimeModel QUARTER_SECOND = batch -> 0.25;
    private static final double EPS = 1e-12;

    /** To the nanosecond, so the hand-worked sums compare exactly. */
    private static double round(double seconds) {
        return Math.round(seconds * 1e9) / 1e9;
    }

    private static TestingEngineContext run(boolean disableOverlap, SglangOverheads overheads) {
        TestingEngineContext context = new TestingEngineContext();
        SglangEngine engine = new SglangEngine(SglangSetup.of(SglangEngineGoldenTest.config(17, disableOverlap, 18,
                overheads)), context, QUARTER_SECOND);
        Request request = Request.single(1, 0.0, PromptContent.of(new Segment(7, 80)), 3);
        context.simulation().scheduleAt(0.0, () -> engine.submit(request));
        context.simulation().run(Double.MAX_VALUE);
        return context;
    }

    /*
     * Normal loop: every step is CPU then GPU, 0.35 s.
     *   queued 0.1; step 1 [0.1, 0.45] prefill; step 2 [0.45, 0.8]; step 3 [0.8, 1.15]
     *   tokens reach the client at 0.5, 0.85, 1.2; the finish with the last one
     */
    @Test
    void normalLoopAddsTheSchedulersWorkToEveryStep() {
        TestingEngineContext context = run(true, new SglangOverheads(0.1, 0.0, 0.1, 0.05));

        assertThat(context.recordedSteps()).extracting(step -> round(step.startTime()), step -> round(step.duration()))
                .containsExactly(tuple(0.1, 0.35), tuple(0.45, 0.35), tuple(0.8, 0.35));
        assertThat(context.recorded().events(1)).extracting(Event::type).containsExactly(Type.QUEUED,
                Type.SCHEDULED, Type.PREFILL_CHUNK, Type.TOKENS, Type.TOKENS, Type.TOKENS, Type.FINISHED);
        List<Double> times = context.recorded().events(1).stream().map(Event::time).toList();
        assertThat(times.get(0)).isEqualTo(0.1);
        assertThat(times.get(2)).isCloseTo(0.45, within(EPS)); // the chunk is the engine's own event, not delayed
        assertThat(times.get(3)).isCloseTo(0.5, within(EPS));
        assertThat(times.get(4)).isCloseTo(0.85, within(EPS));
        assertThat(times.get(5)).isCloseTo(1.2, within(EPS));
        assertThat(times.get(6)).isCloseTo(1.2, within(EPS));
    }

    /*
     * Overlap loop: the first step after idle has nothing to hide its planning behind (0.35 s); the next ones plan
     * while the GPU runs the step before, so each takes max(0.25, 0.1) = 0.25 s.
     *   step 1 [0.1, 0.45]; step 2 [0.45, 0.7]; step 3 [0.7, 0.95]; tokens at 0.5, 0.75, 1.0
     */
    @Test
    void overlapLoopHidesTheSchedulersWorkBehindTheGpuOnceBusy() {
        TestingEngineContext context = run(false, new SglangOverheads(0.1, 0.0, 0.1, 0.05));

        assertThat(context.recordedSteps()).extracting(step -> round(step.startTime())).containsExactly(0.1, 0.45, 0.7);
        assertThat(context.recordedSteps()).extracting(step -> round(step.duration())).containsExactly(0.35, 0.25, 0.25);
        assertThat(context.recorded().events(1)).filteredOn(event -> event.type() == Type.TOKENS)
                .extracting(Event::time).satisfiesExactly(
                        time -> assertThat(time).isCloseTo(0.5, within(EPS)),
                        time -> assertThat(time).isCloseTo(0.75, within(EPS)),
                        time -> assertThat(time).isCloseTo(1.0, within(EPS)));
    }

    /*
     * Overlap loop with a scheduler slower than the GPU: 0.2 s + 0.1 s for the one request = 0.3 s of CPU work a step,
     * so back-to-back steps take the CPU's 0.3 s, not the GPU's 0.25 s.
     */
    @Test
    void overlapLoopCannotHideASchedulerSlowerThanTheGpu() {
        TestingEngineContext context = run(false, new SglangOverheads(0.2, 0.1, 0.0, 0.0));

        assertThat(context.recordedSteps()).extracting(step -> round(step.startTime()), step -> round(step.duration()))
                .containsExactly(tuple(0.0, 0.55), tuple(0.55, 0.3), tuple(0.85, 0.3));
    }

    /*
     * Planning ahead, no overheads. Request 1 (80 prompt tokens, 4 outputs) arrives at 0, request 2 (16 tokens, 1
     * output) at 0.3, while step 2 runs.
     *   normal:  [0, .25] prefill 1; [.25, .5] decode 1; [.5, .75] prefill 2 (it finishes); [.75, 1] and [1, 1.25]
     *            decode 1
     *   overlap: step 3 was planned when step 2 started (0.25), before 2 arrived, so it decodes 1; 2 prefills in step
     *            4 [.75, 1] and finishes; step 5 decodes 1 and, unknowingly, 2 once more: a batch of 2 for 1 token
     */
    @Test
    void overlapLoopPlansOneStepAheadAndDecodesAFinishedRequestOnceMore() {
        for (boolean disableOverlap : new boolean[] {true, false}) {
            TestingEngineContext context = new TestingEngineContext();
            List<Integer> batchSizes = new java.util.ArrayList<>();
            StepTimeModel recording = batch -> {
                batchSizes.add(batch.size());
                return 0.25;
            };
            SglangEngine engine = new SglangEngine(SglangSetup.of(SglangEngineGoldenTest.config(17, disableOverlap,
                    18, SglangEngineGoldenTest.NO_OVERHEADS)), context, recording);
            Request first = Request.single(1, 0.0, PromptContent.of(new Segment(7, 80)), 4);
            Request second = Request.single(2, 0.3, PromptContent.of(new Segment(8, 16)), 1);
            for (Request request : List.of(first, second)) {
                context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
            }
            context.simulation().run(Double.MAX_VALUE);

            List<StepRecord> steps = context.recordedSteps();
            assertThat(steps).extracting(StepRecord::startTime).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
            if (disableOverlap) {
                assertThat(steps).extracting(StepRecord::prefillTokens, StepRecord::decodeTokens).containsExactly(
                        tuple(80, 0), tuple(0, 1), tuple(16, 0), tuple(0, 1), tuple(0, 1));
                assertThat(batchSizes).containsExactly(1, 1, 1, 1, 1);
                assertThat(context.recorded().events(2)).extracting(Event::type, Event::time).contains(
                        tuple(Type.SCHEDULED, 0.5), tuple(Type.FINISHED, 0.75));
            } else {
                assertThat(steps).extracting(StepRecord::prefillTokens, StepRecord::decodeTokens).containsExactly(
                        tuple(80, 0), tuple(0, 1), tuple(0, 1), tuple(16, 0), tuple(0, 1));
                assertThat(batchSizes).containsExactly(1, 1, 1, 1, 2);
                assertThat(steps.get(2).waiting()).isEqualTo(1);
                assertThat(context.recorded().events(2)).extracting(Event::type, Event::time).contains(
                        tuple(Type.QUEUED, 0.3), tuple(Type.SCHEDULED, 0.75), tuple(Type.FINISHED, 1.0));
            }
            assertThat(context.recorded().events(1)).filteredOn(event -> event.type() == Type.TOKENS)
                    .extracting(Event::time).containsExactly(0.25, 0.5, disableOverlap ? 1.0 : 0.75, 1.25);
        }
    }
}
