package dev.servesim.engine.common.steptime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.ModelSpec;
import org.junit.jupiter.api.Test;

/** The step-time formula at the roofline's physical defaults, worked out by hand on a tiny model. */
class StepTimeFormulaTest {

    /**
     * A made-up model small enough to count by hand: 2 layers, hidden 64, 4 heads of 16, 2 KV heads, MLP 128, vocab
     * 1000. Per layer: q 64*64 = 4096, k and v 2*64*32 = 4096, o 4096, MLP 3*64*128 = 24,576: 36,864 parameters, so
     * 73,728 linear parameters (147,456 bytes); LM head 64,000 (128,000 bytes). Attention: 4 * 4 * 16 * 2 = 512 FLOPs
     * per (query, key) pair; KV 2 * 2 * 16 * 2 B * 2 layers = 256 bytes per token. Its widest activation (the
     * gate-up output, 256 elements) lets an H100's 50 MiB L2 hold 102,400 tokens, so no batch here moves
     * activations through device memory.
     */
    static final ModelSpec TINY = new ModelSpec("tiny", 2, 64, 4, 2, 16, 128, 1000, 4096, false, false,
            ModelSpec.Moe.NONE, 0, false);
    private static final HardwareSpec H100 = HardwareSpec.named("H100");
    /** The H100's achievable figures: 88% of 3.35 TB/s, 72% (GEMMs) and 60% (attention) of 989.4 TFLOP/s. */
    private static final double BYTES_PER_SECOND = 0.88 * 3.35e12;
    private static final double GEMM_FLOPS_PER_SECOND = 0.72 * 989.4e12;
    private static final double ATTENTION_FLOPS_PER_SECOND = 0.6 * 989.4e12;
    /** Physical defaults: 0.3 ms per step, 20 us per layer, 5 us per request, 6 us per all-reduce (H100 NVLink). */
    private static final double STEP = 3e-4;
    private static final double LAYER = 2e-5;
    private static final double REQUEST = 5e-6;
    private static final double ALL_REDUCE = 6e-6;

    private final StepTimeFormula llama8bOnH100 = model("llama-3.1-8b", 1);

    @Test
    void tinyModelMixedBatchIsTheFixedCostsPlusFourMemoryBoundParts() {
        StepTimeFormula roofline = tiny(1, 1);
        StepBatch batch = new StepBatch();
        batch.add(100, 0);
        batch.add(1, 50);

        // linear 147,456 B (compute 2 * 73,728 * 101 FLOPs is smaller); LM head 128,000 B for 2 rows of logits;
        // prefill attention writes 100 tokens of KV and reads them, 51,200 B (5050 pairs * 512 FLOPs is smaller);
        // decode attention reads 50 tokens of KV and writes and reads its own, 13,312 B
        assertThat(roofline.stepSeconds(batch)).isCloseTo(STEP + 2 * LAYER + 2 * REQUEST
                + (147_456 + 128_000 + 51_200 + 13_312) / BYTES_PER_SECOND, within(1e-15));
    }

    @Test
    void tinyModelLongPrefillIsComputeBoundInLinearLayersAndAttention() {
        StepTimeFormula roofline = tiny(1, 1);
        StepBatch batch = new StepBatch();
        batch.add(4096, 0);

        // linear 2 * 73,728 * 4096 = 603,979,776 FLOPs at the GEMM efficiency; attention 4096 * 4097 / 2 =
        // 8,390,656 pairs * 512 = 4,296,015,872 FLOPs at the attention efficiency; the LM head stays memory-bound
        assertThat(roofline.stepSeconds(batch)).isCloseTo(STEP + 2 * LAYER + REQUEST
                + 603_979_776.0 / GEMM_FLOPS_PER_SECOND + 4_296_015_872.0 / ATTENTION_FLOPS_PER_SECOND
                + 128_000 / BYTES_PER_SECOND, within(1e-15));
    }

    @Test
    void tinyModelPaysFourAllReducesAtTensorParallelTwoAndOneHandOverPerExtraStage() {
        StepBatch decode = new StepBatch();
        decode.add(1, 0);
        // per rank: half the heads, MLP columns and vocabulary, one KV head: linear 36,864 params (73,728 B),
        // LM head 500 * 64 (64,000 B), KV 128 B per token written and read
        double memoryAtTp2 = (73_728 + 64_000 + 256) / BYTES_PER_SECOND;
        // 2 all-reduces per layer, each 6 us + 2 * 64 * 2 B * (1/2) = 128 B over 450 GB/s at 80%
        double allReduces = 4 * (ALL_REDUCE + 128 / (0.8 * 450e9));

        assertThat(tiny(2, 1).stepSeconds(decode)).isCloseTo(STEP + 2 * LAYER + REQUEST + memoryAtTp2 + allReduces,
                within(1e-15));
        // two stages: the same work on one slice plus one hand-over of 64 * 2 B: 20 us + 128 B over 450 GB/s at 80%
        assertThat(tiny(1, 2).stepSeconds(decode)).isCloseTo(STEP + 2 * LAYER + REQUEST
                + (147_456 + 128_000 + 512) / BYTES_PER_SECOND + 2e-5 + 128 / (0.8 * 450e9), within(1e-15));
    }

    @Test
    void mfuMbuAndStepOverheadReplaceTheGpusFigures() {
        StepTimeFormula roofline = new StepTimeFormula(new ForwardPass(new ShardedModel(TINY, 1, 1, 2, 2), H100,
                Dtype.BF16), StepCoefficients.roofline(H100, 0.5, 0.8, 0.0), "roofline");
        StepBatch batch = new StepBatch();
        batch.add(4096, 0);

        assertThat(roofline.stepSeconds(batch)).isCloseTo(2 * LAYER + REQUEST
                + (603_979_776.0 + 4_296_015_872.0) / (0.5 * 989.4e12) + 128_000 / (0.8 * 3.35e12), within(1e-15));
    }

    @Test
    void activationsOfBatchesTheL2CannotHoldCostDeviceMemoryTraffic() {
        // the tiny model moves 4,224 activation elements (8,448 B) per token; its widest tensor, 512 B per token,
        // fills a 1 MiB L2 at 2,048 tokens
        HardwareSpec smallCache = HardwareSpec.resolve(new HardwareSpec("small-cache", null, 79.19, 3.35, 1.0,
                H100.denseTflops(), H100.interconnect(), 64.0, H100.efficiency(), null));
        ForwardPass pass = new ForwardPass(new ShardedModel(TINY, 1, 1, 2, 2), smallCache, Dtype.BF16);

        pass.measure(RooflineBatches.prefill(2048, 0));
        assertThat(pass.activationMemory).isZero();
        pass.measure(RooflineBatches.prefill(3048, 0));
        assertThat(pass.activationMemory).isCloseTo(1000 * 8448 / 3.35e12, within(1e-18));
    }

    @Test
    void decodeOfOneSequenceOfAnEightBillionModelTakesSixToSevenMilliseconds() {
        // 15 GiB of weights at 88% of 3.35 TB/s is 5.5 ms; 32 layers, the step and the request add 1 ms
        assertThat(llama8bOnH100.stepSeconds(RooflineBatches.decodes(1, 1000))).isBetween(0.006, 0.007);
    }

    @Test
    void doublingADecodeBatchAtShortContextCostsFarLessThanDouble() {
        double one = llama8bOnH100.stepSeconds(RooflineBatches.decodes(1, 200));
        double two = llama8bOnH100.stepSeconds(RooflineBatches.decodes(2, 200));
        double sixtyFour = llama8bOnH100.stepSeconds(RooflineBatches.decodes(64, 200));

        assertThat(two).isGreaterThan(one).isLessThan(1.05 * one);
        assertThat(sixtyFour).isLessThan(2 * one);
    }

    @Test
    void prefillGrowsSuperLinearlyWithPromptLength() {
        double prefill8k = llama8bOnH100.stepSeconds(RooflineBatches.prefill(8192, 0));
        double prefill16k = llama8bOnH100.stepSeconds(RooflineBatches.prefill(16384, 0));
        // the second half of a 16k prompt costs more than the first: it attends to the first half
        double secondChunk = llama8bOnH100.stepSeconds(RooflineBatches.prefill(8192, 8192));

        assertThat(prefill16k).isGreaterThan(2 * prefill8k);
        assertThat(secondChunk).isGreaterThan(1.1 * prefill8k);
        // 1.2e14 linear FLOPs at 72% of the peak is 0.17 s; attention, activations and the fixed costs add 0.05 s
        assertThat(prefill8k).isBetween(0.2, 0.26);
    }

    @Test
    void tensorParallelismSpeedsUpDecodeButPaysForAllReduces() {
        StepTimeFormula seventyBillionTp4 = model("llama-3.1-70b", 4);
        double tp4 = seventyBillionTp4.stepSeconds(RooflineBatches.decodes(1, 1000));
        double fixed = STEP + 80 * LAYER + REQUEST + 160 * ALL_REDUCE;

        // 32.8 GiB of weights per rank at 88% of 3.35 TB/s, plus the fixed costs
        assertThat(tp4).isBetween(0.0118 + fixed, 0.0122 + fixed);
        assertThat(model("llama-3.1-8b", 2).stepSeconds(RooflineBatches.decodes(1, 1000)))
                .isLessThan(llama8bOnH100.stepSeconds(RooflineBatches.decodes(1, 1000)));
    }

    @Test
    void mixtureOfExpertsDecodeReadsOnlyTheExpertsItsTokensTouch() {
        StepTimeFormula mixtral = model("mixtral-8x7b", 2);
        double one = mixtral.stepSeconds(RooflineBatches.decodes(1, 500));
        double sixtyFour = mixtral.stepSeconds(RooflineBatches.decodes(64, 500));

        // per rank: batch 1 reads 2 of 8 experts per layer (12.6 GB with attention and LM head), batch 64 nearly
        // all 8 (about 47 GB); plus 32 MoE layers' routing, 64 all-reduces and the other fixed costs
        assertThat(one).isBetween(0.0060, 0.0075);
        assertThat(sixtyFour).isBetween(2.5 * one, 3.5 * one);
    }

    @Test
    void pipelineStagesAddHandOversButNoWorkToAStep() {
        double onePipeline = model("llama-3.1-70b", 4).stepSeconds(RooflineBatches.decodes(8, 1000));
        double twoStages = model("llama-3.1-70b", 2, 2).stepSeconds(RooflineBatches.decodes(8, 1000));

        // the same layers run one after the other; half the all-reduces per slice but twice the work per rank
        assertThat(twoStages).isGreaterThan(onePipeline);
    }

    @Test
    void neverBeatsTheHardwareFloor() {
        StepBatch mixed = RooflineBatches.prefill(3000, 500);
        mixed.add(1, 2000);

        double seconds = llama8bOnH100.stepSeconds(mixed);

        assertThat(seconds).isGreaterThan(llama8bOnH100.lastFloorSeconds());
    }

    private static StepTimeFormula tiny(int tp, int pp) {
        return new StepTimeFormula(new ForwardPass(new ShardedModel(TINY, tp, pp, 2, 2), H100, Dtype.BF16),
                StepCoefficients.roofline(H100, null, null, null), "roofline");
    }

    static StepTimeFormula model(String name, int tp) {
        return model(name, tp, 1);
    }

    private static StepTimeFormula model(String name, int tp, int pp) {
        // the vllm engine's defaults: bf16 weights and KV cache on an H100-SXM-80GB
        HardwareSpec gpu = HardwareSpec.named("H100-SXM-80GB");
        return new StepTimeFormula(new ForwardPass(new ShardedModel(ModelSpec.named(name), tp, pp, 2, 2), gpu,
                Dtype.BF16), StepCoefficients.roofline(gpu, null, null, null), "roofline");
    }
}
