package dev.servesim.engine.common.steptime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.ModelSpec;
import org.junit.jupiter.api.Test;

class ForwardPassTest {

    /**
     * The tiny model of {@link StepTimeFormulaTest} with both layers turned into MoE layers of 4 experts of width 32
     * (3 * 64 * 32 = 6144 parameters each), 2 per token, and a 64 x 4 router.
     */
    private static final ModelSpec TINY_MOE = new ModelSpec("tiny-moe", 2, 64, 4, 2, 16, 128, 1000, 4096, false,
            false, new ModelSpec.Moe(4, 2, 32, 0, 2), 0, false);

    @Test
    void expectsTheDistinctExpertsTokensRoutedUniformlyTouch() {
        ForwardPass pass = new ForwardPass(new ShardedModel(TINY_MOE, 1, 1, 2, 2), HardwareSpec.named("H100"),
                Dtype.BF16);

        // 4 * (1 - (1 - 2/4)^T): 2 experts for one token, 3 for two, 3.5 for three
        pass.measure(RooflineBatches.decodes(1, 10));
        assertThat(pass.touchedExperts).isEqualTo(2.0);
        pass.measure(RooflineBatches.decodes(2, 10));
        assertThat(pass.touchedExperts).isEqualTo(3.0);
        pass.measure(RooflineBatches.decodes(3, 10));
        assertThat(pass.touchedExperts).isEqualTo(3.5);
        // 3.5 experts * 6144 parameters * 2 B * 2 layers; FLOPs: 3 tokens * 2 experts * 2 * 6144 * 2 layers
        assertThat(pass.moeMemory).isCloseTo(3.5 * 6144 * 2 * 2 / 3.35e12, within(1e-20));
        assertThat(pass.moeCompute).isCloseTo(3 * 2 * 2.0 * 6144 * 2 / 989.4e12, within(1e-22));
        // the routers (2 * 64 * 4) are read with the attention projections (2 * 12,288)
        assertThat(pass.linearMemory).isCloseTo((2 * 12_288 + 2 * 256) * 2 / 3.35e12, within(1e-20));
    }

    @Test
    void splitsPrefillAndDecodeAttention() {
        ForwardPass pass = new ForwardPass(new ShardedModel(StepTimeFormulaTest.TINY, 1, 1, 2, 2),
                HardwareSpec.named("H100"), Dtype.BF16);
        StepBatch batch = new StepBatch();
        batch.add(8, 16);
        batch.add(1, 99);

        pass.measure(batch);

        // chunk 16..24: (24 * 25 - 16 * 17) / 2 = 164 pairs of 512 FLOPs; it writes 8 tokens of KV and reads 24
        // (256 B each)
        assertThat(pass.prefillAttentionCompute).isCloseTo(164 * 512 / 989.4e12, within(1e-24));
        assertThat(pass.prefillAttentionMemory).isCloseTo(32 * 256 / 3.35e12, within(1e-24));
        // decode at position 99: 100 pairs; 99 tokens of KV read, its own written and read
        assertThat(pass.decodeAttentionCompute).isCloseTo(100 * 512 / 989.4e12, within(1e-24));
        assertThat(pass.decodeAttentionMemory).isCloseTo(101 * 256 / 3.35e12, within(1e-24));
        assertThat(pass.moeMemory).isZero();
        assertThat(pass.allReduceTransfer).isZero();
        assertThat(pass.pipelineTransfer).isZero();
        assertThat(pass.requests).isEqualTo(2);
    }

    @Test
    void countsTheLayersAndCollectivesThatPayFixedCosts() {
        ForwardPass moe = new ForwardPass(new ShardedModel(TINY_MOE, 2, 1, 2, 2), HardwareSpec.named("H100"),
                Dtype.BF16);
        ForwardPass dense = new ForwardPass(new ShardedModel(StepTimeFormulaTest.TINY, 1, 1, 2, 2),
                HardwareSpec.named("H100"), Dtype.BF16);

        assertThat(moe.layers).isEqualTo(2);
        assertThat(moe.moeLayerCount).isEqualTo(2);
        assertThat(moe.allReduceCount).isEqualTo(4);
        assertThat(dense.moeLayerCount).isZero();
        assertThat(dense.allReduceCount).isZero();
    }

    @Test
    void theFloorIsTheLongerOfAllComputeAndAllMemoryAtPeakPlusTheLinkBytes() {
        ForwardPass pass = new ForwardPass(new ShardedModel(StepTimeFormulaTest.TINY, 2, 1, 2, 2),
                HardwareSpec.named("H100"), Dtype.BF16);
        pass.measure(RooflineBatches.prefill(4096, 0));

        double compute = pass.linearCompute + pass.lmHeadCompute + pass.prefillAttentionCompute;
        double memory = pass.linearMemory + pass.lmHeadMemory + pass.prefillAttentionMemory + pass.activationMemory;
        assertThat(compute).isGreaterThan(memory);
        assertThat(pass.floorSeconds()).isEqualTo(compute + pass.allReduceTransfer);
        // 4 all-reduces of 4096 tokens * 128 B over 450 GB/s
        assertThat(pass.allReduceTransfer).isCloseTo(4 * 4096 * 128 / 450e9, within(1e-18));
    }
}
