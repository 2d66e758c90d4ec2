package dev.servesim.engine.vllm;

import static dev.servesim.testing.RecordingRequestListener.Type.FINISHED;
import static dev.servesim.testing.RecordingRequestListener.Type.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.engine.common.steptime.StepBatch;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.TestingEngineContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real clients ({@code servesim serve}) take the real path from a step's end to them, so the engine leaves out its
 * modelled output path: every token and the finish come exactly that much earlier, and the gaps between tokens do not
 * change.
 */
class VllmRealClientsTest {

    private static final double STEP = 0.02;
    private static final double OUTPUT_OVERHEAD = 0.004;

    @Test
    void realClientsSeeTokensAtTheStepsEndWithoutTheModelledOutputPath() {
        List<Event> simulated = run(new TestingEngineContext());
        List<Event> served = run(new TestingEngineContext().withRealClients());

        assertThat(served).hasSameSizeAs(simulated).hasSize(9);
        for (int i = 0; i < simulated.size(); i++) {
            assertThat(served.get(i).type()).isEqualTo(simulated.get(i).type());
            assertThat(served.get(i).value()).isEqualTo(simulated.get(i).value());
            assertThat(served.get(i).time()).isCloseTo(simulated.get(i).time() - OUTPUT_OVERHEAD, within(1e-12));
        }
        // the first token at the end of the prefill step
        assertThat(served.get(0).time()).isCloseTo(STEP, within(1e-12));
    }

    /** A request of 8 output tokens alone on an engine whose steps take {@value #STEP} s; its tokens and finish. */
    private static List<Event> run(TestingEngineContext context) {
        StepTimeModel stepTime = new StepTimeModel() {
            @Override
            public double stepSeconds(StepBatch batch) {
                return STEP;
            }

            @Override
            public double outputOverheadSeconds() {
                return OUTPUT_OVERHEAD;
            }
        };
        VllmEngine engine = new VllmEngine(VllmSetup.of(TestingVllmConfig.of("async_scheduling", false)), context,
                stepTime);
        context.simulation().scheduleAt(0, () -> engine.submit(Request.single(1, 0, PromptContent.single(3, 64), 8)));
        context.simulation().run(Double.POSITIVE_INFINITY);
        return context.recorded().events(1).stream()
                .filter(event -> event.type() == TOKENS || event.type() == FINISHED)
                .toList();
    }
}
