package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.ModelSpec;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import org.junit.jupiter.api.Test;

class RooflineStepTimeTest {

    /**
     * A made-up model small enough to count by hand: 2 layers, hidden 64, 4 heads of 16, 2 KV heads, MLP 128, vocab
     * 1000. Per layer: q 64*64 = 4096, k and v 2*64*32 = 4096, o 4096, MLP 3*64*128 = 24,576: 36,864 parameters, so
     * 73,728 linear parameters (147,456 bytes); LM head 64,000 (128,000 bytes). Attention: 4 * 4 * 16 * 2 = 512 FLOPs
     * per (query, key) pair; KV 2 * 2 * 16 * 2 B * 2 layers = 256 bytes per token.
     */
    static final ModelSpec TINY = new ModelSpec("tiny", 2, 64, 4, 2, 16, 128, 1000, 4096, false, false,
            ModelSpec.Moe.NONE, 0, false);
    private static final HardwareSpec H100 = HardwareSpec.named("H100");
    /** 80% of the H100's 3.35 TB/s and 50% of its 989.4 TFLOP/s. */
    private static final double BYTES_PER_SECOND = 0.8 * 3.35e12;
    private static final double FLOPS_PER_SECOND = 0.5 * 989.4e12;

    private final RooflineStepTime llama8bOnH100 = model("llama-3.1-8b", 1);

    @Test
    void tinyModelMixedBatchIsTheSumOfFourMemoryBoundParts() {
        RooflineStepTime roofline = tiny(1, 1);
        StepBatch batch = new StepBatch();
        batch.add(100, 0);
        batch.add(1, 50);

        // linear 147,456 B (compute 2 * 73,728 * 101 FLOPs is smaller); LM head 128,000 B for 2 rows of logits;
        // prefill attention 100 tokens of KV, 25,600 B (5050 pairs * 512 FLOPs is smaller); decode attention reads
        // 51 tokens of KV, 13,056 B
        assertThat(roofline.stepSeconds(batch))
                .isCloseTo((147_456 + 128_000 + 25_600 + 13_056) / BYTES_PER_SECOND, within(1e-18));
    }

    @Test
    void tinyModelLongPrefillIsComputeBoundInLinearLayersAndAttention() {
        RooflineStepTime roofline = tiny(1, 1);
        StepBatch batch = new StepBatch();
        batch.add(4096, 0);

        // linear 2 * 73,728 * 4096 = 603,979,776 FLOPs; attention 4096 * 4097 / 2 = 8,390,656 pairs * 512 =
        // 4,296,015,872 FLOPs; the LM head stays memory-bound (128,000 B)
        assertThat(roofline.stepSeconds(batch)).isCloseTo(
                (603_979_776.0 + 4_296_015_872.0) / FLOPS_PER_SECOND + 128_000 / BYTES_PER_SECOND, within(1e-15));
    }

    @Test
    void tinyModelPaysFourAllReducesAtTensorParallelTwoAndOneHandOverPerExtraStage() {
        StepBatch decode = new StepBatch();
        decode.add(1, 0);
        // per rank: half the heads, MLP columns and vocabulary, one KV head: linear 36,864 params (73,728 B),
        // LM head 500 * 64 (64,000 B), KV 128 B per token
        double computeAtTp2 = (73_728 + 64_000 + 128) / BYTES_PER_SECOND;
        // 2 all-reduces per layer, each 5 us + 2 * 64 * 2 B * (1/2) = 128 B over 450 GB/s
        double allReduces = 4 * (5e-6 + 128 / 450e9);

        assertThat(tiny(2, 1).stepSeconds(decode)).isCloseTo(computeAtTp2 + allReduces, within(1e-18));
        // two stages: the same work on one slice plus one hand-over of 64 * 2 B: 20 us + 128 B over 450 GB/s
        assertThat(tiny(1, 2).stepSeconds(decode)).isCloseTo(
                (147_456 + 128_000 + 256) / BYTES_PER_SECOND + 2e-5 + 128 / 450e9, within(1e-18));
    }

    @Test
    void decodeOfOneSequenceTakesSixToEightMilliseconds() {
        double seconds = llama8bOnH100.stepSeconds(decodes(1, 1000));

        assertThat(seconds).isBetween(0.006, 0.008);
    }

    @Test
    void doublingADecodeBatchAtShortContextCostsFarLessThanDouble() {
        double one = llama8bOnH100.stepSeconds(decodes(1, 200));
        double two = llama8bOnH100.stepSeconds(decodes(2, 200));
        double sixtyFour = llama8bOnH100.stepSeconds(decodes(64, 200));

        assertThat(two).isGreaterThan(one).isLessThan(1.05 * one);
        assertThat(sixtyFour).isLessThan(2 * one);
    }

    @Test
    void prefillGrowsSuperLinearlyWithPromptLength() {
        double prefill8k = llama8bOnH100.stepSeconds(prefill(8192, 0));
        double prefill16k = llama8bOnH100.stepSeconds(prefill(16384, 0));
        // the second half of a 16k prompt costs more than the first: it attends to the first half
        double secondChunk = llama8bOnH100.stepSeconds(prefill(8192, 8192));

        assertThat(prefill16k).isGreaterThan(2 * prefill8k);
        assertThat(secondChunk).isGreaterThan(1.1 * prefill8k);
        assertThat(prefill8k).isBetween(0.2, 0.4);
    }

    @Test
    void tensorParallelismSpeedsUpDecodeButPaysForAllReduces() {
        RooflineStepTime seventyBillionTp4 = model("llama-3.1-70b", 4);
        double tp4 = seventyBillionTp4.stepSeconds(decodes(1, 1000));
        double twoLayersOfAllReduces = 2 * 80 * ForwardPass.ALL_REDUCE_LATENCY_SECONDS;

        // 32.8 GiB of weights per rank at 80% of 3.35 TB/s, plus 160 all-reduces
        assertThat(tp4).isBetween(0.013 + twoLayersOfAllReduces, 0.016 + twoLayersOfAllReduces);
        assertThat(model("llama-3.1-8b", 2).stepSeconds(decodes(1, 1000)))
                .isLessThan(llama8bOnH100.stepSeconds(decodes(1, 1000)));
    }

    @Test
    void mixtureOfExpertsDecodeReadsOnlyTheExpertsItsTokensTouch() {
        RooflineStepTime mixtral = model("mixtral-8x7b", 2);
        double one = mixtral.stepSeconds(decodes(1, 500));
        double sixtyFour = mixtral.stepSeconds(decodes(64, 500));

        // per rank: batch 1 reads 2 of 8 experts per layer (12.6 GB with attention and LM head), batch 64 nearly
        // all 8 (about 47 GB); plus 64 all-reduces and the step overhead
        assertThat(one).isBetween(0.0050, 0.0065);
        assertThat(sixtyFour).isBetween(3 * one, 4 * one);
    }

    @Test
    void pipelineStagesAddHandOversButNoWorkToAStep() {
        double onePipeline = model("llama-3.1-70b", 4).stepSeconds(decodes(8, 1000));
        double twoStages = model("llama-3.1-70b", 2, 2).stepSeconds(decodes(8, 1000));

        // the same layers run one after the other; half the all-reduces per slice but twice the work per rank
        assertThat(twoStages).isGreaterThan(onePipeline);
    }

    static StepBatch decodes(int requests, int context) {
        StepBatch batch = new StepBatch();
        for (int i = 0; i < requests; i++) {
            batch.add(1, context);
        }
        return batch;
    }

    static StepBatch prefill(int tokens, int context) {
        StepBatch batch = new StepBatch();
        batch.add(tokens, context);
        return batch;
    }

    private static RooflineStepTime tiny(int tp, int pp) {
        VllmConfig config = TestingVllmConfig.of("step_overhead", 0.0);
        return new RooflineStepTime(new ShardedModel(TINY, tp, pp, 2, 2), H100, config);
    }

    private static RooflineStepTime model(String name, int tp) {
        return model(name, tp, 1);
    }

    private static RooflineStepTime model(String name, int tp, int pp) {
        VllmConfig config = TestingVllmConfig.of("model", name, "tensor_parallel_size", tp, "pipeline_parallel_size", pp);
        return new RooflineStepTime(ShardedModel.of(ModelSpec.named(name), config),
                HardwareSpec.named(config.hardware()), config);
    }
}
