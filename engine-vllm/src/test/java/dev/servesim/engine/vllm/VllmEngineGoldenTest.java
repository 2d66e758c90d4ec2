package dev.servesim.engine.vllm;

import static dev.servesim.testing.RecordingRequestListener.Type.FINISHED;
import static dev.servesim.testing.RecordingRequestListener.Type.PREFILL_CHUNK;
import static dev.servesim.testing.RecordingRequestListener.Type.QUEUED;
import static dev.servesim.testing.RecordingRequestListener.Type.SCHEDULED;
import static dev.servesim.testing.RecordingRequestListener.Type.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.common.steptime.ForwardPass;
import dev.servesim.engine.common.steptime.PhysicsCoefficients;
import dev.servesim.engine.common.steptime.StepTimeFormula;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden scenarios computed by hand from the reference: prefix hits (§3.5), the CPU tier (§5), request overheads of
 * the physics model. Steps take 0.5 s unless a test says otherwise, so event times are exact.
 */
class VllmEngineGoldenTest {

    private static final double STEP = 0.5;
    /**
     * One 16-token block of Llama-3.1-8B on one GPU is 2 * 16 * 8 * 128 * 2 B * 32 layers = 2 MiB; the H100's PCIe
     * Gen5 x16 link moves 64 GB/s per direction, 80% of which a block copy reaches.
     */
    private static final double BLOCK_LOAD_SECONDS = 2_097_152 / (64e9 * 0.8);

    @TempDir
    Path folder;

    private TestingEngineContext context;
    private VllmEngine engine;

    @Test
    void aFullyCachedPromptRecomputesItsLastBlockAndOneMoreTokenOnlyTheNewToken() {
        start(TestingVllmConfig.of("num_gpu_blocks", 100), batch -> STEP);
        submit(Request.single(1, 0.0, PromptContent.single(7, 32), 1));
        // the same 32 tokens: both blocks are cached but at most (32 - 1) / 16 = 1 may hit, so 16 are computed
        submit(Request.single(2, 1.0, PromptContent.single(7, 32), 2));
        // the 32 tokens and one more: both blocks hit and 1 token is computed
        submit(Request.single(3, 3.0, PromptContent.of(new Segment(7, 32), new Segment(8, 1)), 1));

        run();

        assertThat(context.recorded().events()).containsExactly(
                event(QUEUED, 1, 0.0, 0), new Event(SCHEDULED, 1, 0.0, 0, "MISS"),
                event(PREFILL_CHUNK, 1, 0.5, 32), event(TOKENS, 1, 0.5, 1), event(FINISHED, 1, 0.5, 0),
                event(QUEUED, 2, 1.0, 0), new Event(SCHEDULED, 2, 1.0, 16, "HIT"),
                event(PREFILL_CHUNK, 2, 1.5, 16), event(TOKENS, 2, 1.5, 1),
                event(TOKENS, 2, 2.0, 1), event(FINISHED, 2, 2.0, 0),
                event(QUEUED, 3, 3.0, 0), new Event(SCHEDULED, 3, 3.0, 32, "HIT"),
                event(PREFILL_CHUNK, 3, 3.5, 1), event(TOKENS, 3, 3.5, 1), event(FINISHED, 3, 3.5, 0));
        assertThat(context.recordedSteps()).extracting(StepRecord::prefillTokens).containsExactly(32, 16, 0, 1);
        assertThat(context.recordedSteps()).extracting(StepRecord::decodeTokens).containsExactly(0, 0, 1, 0);
        assertThat(context.cache().stats().hitTokens()).isEqualTo(16 + 32);
    }

    @Test
    void loadsAPrefixEvictedFromTheGpuBackFromTheCpuTier() {
        // 4 usable GPU blocks; 8 CPU blocks keep every block computed here
        start(TestingVllmConfig.of("num_gpu_blocks", 5, "cpu_offload_blocks", 8), batch -> STEP);
        PromptContent prefix = PromptContent.single(100, 48);
        submit(Request.single(1, 0.0, prefix, 1));
        // 64 tokens need all 4 blocks: the 3 cached blocks of request 1 are evicted from the GPU
        submit(Request.single(2, 1.0, PromptContent.single(200, 64), 1));
        // request 1's 48 tokens and 8 more: no GPU hit, 3 blocks on the CPU
        submit(Request.single(3, 2.0, prefix.append(java.util.List.of(new Segment(300, 8))), 1));
        // arrives while request 3's blocks are being copied: the engine wakes up and runs it
        double fourth = 2.0 + 1.0 / 16384;
        submit(Request.single(4, fourth, PromptContent.single(400, 16), 1));

        run();

        double loadDone = 2.0 + 3 * BLOCK_LOAD_SECONDS;
        assertThat(fourth).isLessThan(loadDone);
        // request 3 waits in the queue holding 3 GPU blocks; request 4 runs in the step the arrival starts; the
        // copy is seen done when that step ends, and request 3 computes its last 8 tokens
        assertThat(context.recorded().events(3)).containsExactly(
                event(QUEUED, 3, 2.0, 0),
                new Event(SCHEDULED, 3, fourth + STEP, 48, VllmScheduler.CPU_HIT),
                event(PREFILL_CHUNK, 3, fourth + 2 * STEP, 8), event(TOKENS, 3, fourth + 2 * STEP, 1),
                event(FINISHED, 3, fourth + 2 * STEP, 0));
        assertThat(context.recorded().events(4)).containsExactly(
                event(QUEUED, 4, fourth, 0), new Event(SCHEDULED, 4, fourth, 0, "MISS"),
                event(PREFILL_CHUNK, 4, fourth + STEP, 16), event(TOKENS, 4, fourth + STEP, 1),
                event(FINISHED, 4, fourth + STEP, 0));
        CpuKvTier cpu = engine.cpuTier();
        assertThat(cpu.loads()).isEqualTo(1);
        assertThat(cpu.loadedBlocks()).isEqualTo(3);
        // 3 blocks of request 1, 4 of request 2, 1 of request 4; request 3's full blocks were already there
        assertThat(cpu.storedBlocks()).isEqualTo(8);
        assertThat(cpu.evictedBlocks()).isZero();
        assertThat(engine.info().properties()).containsEntry("cpu_kv_blocks", "8").containsEntry("cpu_kv_tokens", "128");
    }

    @Test
    void sleepsUntilTheCopyIsDoneWhenNothingElseCanRun() {
        start(TestingVllmConfig.of("num_gpu_blocks", 5, "cpu_offload_blocks", 8), batch -> STEP);
        PromptContent prefix = PromptContent.single(100, 48);
        submit(Request.single(1, 0.0, prefix, 1));
        submit(Request.single(2, 1.0, PromptContent.single(200, 64), 1));
        submit(Request.single(3, 2.0, prefix.append(java.util.List.of(new Segment(300, 8))), 1));

        run();

        double loadDone = 2.0 + 3 * BLOCK_LOAD_SECONDS;
        Event scheduled = context.recorded().events(3).get(1);
        assertThat(scheduled.type()).isEqualTo(SCHEDULED);
        assertThat(scheduled.time()).isEqualTo(loadDone);
        assertThat(context.recorded().events(3)).contains(event(FINISHED, 3, loadDone + STEP, 0));
        // the queue time of request 3 includes the copy, as vLLM records SCHEDULED at the final admission
        assertThat(context.recordedSteps()).hasSize(3);
    }

    @Test
    void aCpuTierTooSmallForThePrefixLosesItToLruEviction() {
        // 5 CPU blocks: storing request 2's 4 blocks evicts the 2 oldest blocks of request 1, including its first
        start(TestingVllmConfig.of("num_gpu_blocks", 5, "cpu_offload_blocks", 5), batch -> STEP);
        PromptContent prefix = PromptContent.single(100, 48);
        submit(Request.single(1, 0.0, prefix, 1));
        submit(Request.single(2, 1.0, PromptContent.single(200, 64), 1));
        submit(Request.single(3, 2.0, prefix.append(java.util.List.of(new Segment(300, 8))), 1));

        run();

        assertThat(context.recorded().events(3)).containsExactly(
                event(QUEUED, 3, 2.0, 0), new Event(SCHEDULED, 3, 2.0, 0, "MISS"),
                event(PREFILL_CHUNK, 3, 2.5, 56), event(TOKENS, 3, 2.5, 1), event(FINISHED, 3, 2.5, 0));
        // request 3 stores the 2 blocks it recomputed (its third was still there), evicting 2 of request 2's
        assertThat(engine.cpuTier().evictedBlocks()).isEqualTo(2 + 2);
        assertThat(engine.cpuTier().loads()).isZero();
    }

    @Test
    void physicsCoefficientsFromAFileSetStepTimeAndRequestOverheads() throws IOException {
        // large fixed costs (0.25 s per step, 0.125 s per request) dwarf the forward pass; the API server adds 0.5 s
        // + 1/64 s per prompt token before the queue and 0.75 s before the client sees outputs
        Path file = Files.writeString(folder.resolve("fit.properties"), """
                version=2
                fitted_on=hand-made golden
                step_overhead_seconds=0.25
                request_overhead_seconds=0.125
                layer_overhead_seconds=0
                moe_layer_overhead_seconds=0
                arrival_overhead_seconds=0.5
                arrival_overhead_seconds_per_prompt_token=0.015625
                output_overhead_seconds=0.75
                """);
        VllmConfig config = TestingVllmConfig.of("step_time", "physics", "coefficients", file.toString());
        start(config, null);
        submit(Request.single(1, 0.0, PromptContent.single(7, 32), 2));

        run();

        // the steps' forward passes at the built-in efficiencies, on top of the file's fixed costs
        StepTimeFormula formula = new StepTimeFormula(new ForwardPass(VllmSetup.shard(
                dev.servesim.engine.common.model.ModelSpec.named(config.model()), config), config.hardware(), config.dtype()),
                PhysicsCoefficients.load(file.toString()).on(config.hardware()), "physics");
        double prefill = formula.stepSeconds(RooflineBatches.prefill(32, 0));
        double decode = formula.stepSeconds(RooflineBatches.decodes(1, 32));
        assertThat(prefill).isBetween(0.375, 0.39);
        // queued at 0.5 + 32/64 = 1.0; the prefill step and one decode step
        assertThat(context.recorded().events()).containsExactly(
                event(QUEUED, 1, 1.0, 0), new Event(SCHEDULED, 1, 1.0, 0, "MISS"),
                event(PREFILL_CHUNK, 1, 1.0 + prefill, 32),
                event(TOKENS, 1, 1.0 + prefill + 0.75, 1),
                event(TOKENS, 1, 1.0 + prefill + decode + 0.75, 1), event(FINISHED, 1, 1.0 + prefill + decode + 0.75,
                        0));
        assertThat(engine.info().properties()).containsEntry("step_time_model", "physics")
                .containsEntry("physics_fitted_on", "hand-made golden");
    }

    private void start(VllmConfig config, StepTimeModel stepTime) {
        context = new TestingEngineContext(1, "block-hash");
        engine = new VllmEngine(VllmSetup.of(config), context, stepTime);
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

    private static Event event(Type type, long id, double time, int value) {
        return new Event(type, id, time, value, "");
    }
}
