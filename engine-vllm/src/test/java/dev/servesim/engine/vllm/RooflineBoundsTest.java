package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's roofline properties and a saturated replica against them. The bounds against the forward pass are
 * engine-common's {@code RooflineBoundsTest}.
 */
class RooflineBoundsTest {

    @Test
    void llama8bOnOneH100ByHand() {
        // per layer: q 4096*32*128 + k, v 2*4096*8*128 + o 32*128*4096 = 41,943,040; MLP 3*4096*14336 = 176,160,768;
        // 32 layers: 6,979,321,856 linear parameters, 2 FLOPs each per token, at the 989.4 TFLOP/s BF16 peak
        double prefill = 989.4e12 / (2 * 6_979_321_856.0);
        // a step reads those weights at 2 bytes and the 16-bit LM head (128256 * 4096) once, at 3.35 TB/s
        double bytes = 2 * 6_979_321_856.0 + 2 * 128_256.0 * 4096;
        Map<String, String> few = properties(TestingVllmConfig.of("model", "llama-3.1-8b", "max_num_seqs", 128));
        Map<String, String> many = properties(TestingVllmConfig.of("model", "llama-3.1-8b", "max_num_seqs", 1024));

        assertThat(prefill).isCloseTo(70_880.8, within(0.1));
        assertThat(few).containsEntry("roofline_prefill_tokens_per_s", "70880.8")
                .containsEntry("roofline_decode_tokens_per_s", "28568.9");
        assertThat(128 * 3.35e12 / bytes).isCloseTo(28_568.9, within(0.1));
        // 1024 sequences would read the weights fast enough for 228,551 tokens/s; their FLOPs bound them first
        assertThat(1024 * 3.35e12 / bytes).isCloseTo(228_551.4, within(0.1));
        assertThat(many).containsEntry("roofline_decode_tokens_per_s", "70880.8");
    }

    @Test
    void aSaturatedReplicaNeverExceedsItsBounds() {
        check(TestingVllmConfig.of("model", "llama-3.1-8b", "max_num_seqs", 256, "step_time", "physics"));
        check(TestingVllmConfig.of("model", "llama-3.1-70b", "tensor_parallel_size", 4, "max_num_seqs", 256,
                "step_time", "physics"));
        check(TestingVllmConfig.of("model", "mixtral-8x7b", "tensor_parallel_size", 2, "max_num_seqs", 256,
                "step_time", "physics"));
        check(TestingVllmConfig.of("model", "qwen3-30b-a3b", "max_num_seqs", 256, "step_time", "physics"));
        check(TestingVllmConfig.of("model", "llama-3.1-70b", "tensor_parallel_size", 2, "pipeline_parallel_size", 2,
                "max_num_seqs", 256, "step_time", "physics"));
        // the fastest steps the roofline allows: the peaks themselves and no per-step cost
        check(TestingVllmConfig.of("model", "llama-3.1-8b", "max_num_seqs", 256, "step_time", "roofline", "mfu", 1.0,
                "mbu", 1.0, "step_overhead", 0.0));
        check(TestingVllmConfig.of("model", "mixtral-8x7b", "tensor_parallel_size", 2, "max_num_seqs", 64,
                "hardware", "H200-SXM-141GB", "step_time", "roofline", "mfu", 1.0, "mbu", 1.0, "step_overhead", 0.0));
    }

    /** Runs 1024 requests arriving at once (distinct prompts, no cache hits) and compares each step and the run. */
    private static void check(VllmConfig config) {
        TestingEngineContext context = new TestingEngineContext(1, "block-hash");
        VllmEngine engine = new VllmEngine(VllmSetup.of(config), context);
        double prefillBound = Double.parseDouble(engine.info().properties().get("roofline_prefill_tokens_per_s"));
        double decodeBound = Double.parseDouble(engine.info().properties().get("roofline_decode_tokens_per_s"));
        int requests = 1024;
        for (int id = 1; id <= requests; id++) {
            Request request = Request.single(id, 0.0, PromptContent.single(id, 512), 64);
            context.simulation().scheduleAt(0.0, () -> engine.submit(request));
        }

        context.simulation().run(Double.MAX_VALUE);

        String what = config.model() + " tp " + config.tensorParallelSize() + " pp " + config.pipelineParallelSize()
                + " " + config.stepTime() + " on " + config.hardware().name();
        assertThat(context.recorded().events(Type.FINISHED)).as(what).hasSize(requests);
        List<StepRecord> steps = context.recordedSteps();
        double busy = 0;
        long prompt = 0;
        double fastestDecode = 0;
        for (StepRecord step : steps) {
            busy += step.duration();
            prompt += step.prefillTokens();
            // every scheduled request yields at most one output token
            assertThat(step.scheduledRequests() / step.duration()).as(what).isLessThanOrEqualTo(decodeBound);
            assertThat(step.prefillTokens() / step.duration()).as(what).isLessThanOrEqualTo(prefillBound);
            fastestDecode = Math.max(fastestDecode, step.decodeTokens() / step.duration());
        }
        long outputs = 0;
        for (long id = 1; id <= requests; id++) {
            outputs += context.recorded().outputTokens(id);
        }
        double span = steps.get(steps.size() - 1).startTime() + steps.get(steps.size() - 1).duration()
                - steps.get(0).startTime();
        // preempted requests compute their prompts again
        assertThat(prompt).as(what).isGreaterThanOrEqualTo(512L * requests);
        assertThat(outputs).isEqualTo(64L * requests);
        assertThat(span).as(what).isGreaterThanOrEqualTo(busy * (1 - 1e-12));
        assertThat(prompt / busy).as(what).isLessThanOrEqualTo(prefillBound);
        assertThat(outputs / span).as(what).isLessThanOrEqualTo(decodeBound);
        // the bounds are not vacuous: the busiest decode steps reach a fair share of them
        assertThat(fastestDecode).as(what).isGreaterThan(decodeBound / 10);
    }

    private static Map<String, String> properties(VllmConfig config) {
        return new VllmEngine(VllmSetup.of(config), new TestingEngineContext()).info().properties();
    }
}
