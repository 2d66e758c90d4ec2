package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SglangRetractionTest {

    private static final StepTimeModel TENTH_SECOND = batch -> 0.125;

    /**
     * A pool of 600 tokens and a low schedule_conservativeness (initial ratio 0.07): admission reserves little for
     * decoding, admits four requests that need 250 tokens each, and decoding runs out of slots, so requests are
     * retracted, recompute, and still finish with all their outputs.
     */
    private static TestingEngineContext run(List<Request> requests, long[] counters) {
        SglangSetup resolved = SglangSetup.of(SglangEngineGoldenTest.config(11, 0.1));
        SglangSetup tiny = new SglangSetup(resolved.config(), resolved.model(), resolved.coefficients(), 600);
        TestingEngineContext context = new TestingEngineContext();
        SglangEngine engine = new SglangEngine(tiny, context, TENTH_SECOND);
        for (Request request : requests) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }
        context.simulation().run(Double.MAX_VALUE);
        counters[0] = engine.counters().get("retractions");
        counters[1] = engine.scheduler().usedTokens();
        counters[2] = engine.scheduler().cache().protectedSize();
        return context;
    }

    @Test
    void retractsWhenDecodingRunsOutOfSlotsAndStillFinishesEveryRequest() {
        List<Request> requests = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            requests.add(Request.single(i, 0.0, PromptContent.single(100 + i, 100), 150));
        }
        long[] counters = new long[3];

        TestingEngineContext context = run(requests, counters);

        assertThat(counters[0]).as("retractions").isPositive();
        assertThat(context.recorded().events(Type.PREEMPTED)).hasSize((int) counters[0]);
        for (Request request : requests) {
            assertThat(context.recorded().events(request.id())).filteredOn(event -> event.type() == Type.FINISHED)
                    .hasSize(1);
            assertThat(context.recorded().outputTokens(request.id())).isEqualTo(150);
        }
        assertThat(counters[1]).as("slots held by requests at the end").isZero();
        assertThat(counters[2]).as("locked tree tokens at the end").isZero();
        assertThat(context.recordedSteps()).allSatisfy(step -> assertThat(step.kvBlocksUsed()).isBetween(0, 600));
        assertThat(context.recordedSteps().stream().mapToInt(StepRecord::preemptions).sum())
                .isEqualTo((int) counters[0]);
    }
}
