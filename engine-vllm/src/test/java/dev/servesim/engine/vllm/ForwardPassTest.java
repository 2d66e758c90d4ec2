package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.ModelSpec;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import org.junit.jupiter.api.Test;

class ForwardPassTest {

    /**
     * The tiny model of {@link RooflineStepTimeTest} with both layers turned into MoE layers of 4 experts of width 32
     * (3 * 64 * 32 = 6144 parameters each), 2 per token, and a 64 x 4 router.
     */
    private static final ModelSpec TINY_MOE = new ModelSpec("tiny-moe", 2, 64, 4, 2, 16, 128, 1000, 4096, false,
            false, new ModelSpec.Moe(4, 2, 32, 0, 2), 0, false);

    @Test
    void expectsTheDistinctExpertsTokensRoutedUniformlyTouch() {
        ForwardPass pass = new ForwardPass(new ShardedModel(TINY_MOE, 1, 1, 2, 2), HardwareSpec.named("H100"),
                TestingVllmConfig.of());

        // 4 * (1 - (1 - 2/4)^T): 2 experts for one token, 3 for two, 3.5 for three
        pass.measure(RooflineStepTimeTest.decodes(1, 10));
        assertThat(pass.touchedExperts).isEqualTo(2.0);
        pass.measure(RooflineStepTimeTest.decodes(2, 10));
        assertThat(pass.touchedExperts).isEqualTo(3.0);
        pass.measure(RooflineStepTimeTest.decodes(3, 10));
        assertThat(pass.touchedExperts).isEqualTo(3.5);
        // 3.5 experts * 6144 parameters * 2 B * 2 layers; FLOPs: 3 tokens * 2 experts * 2 * 6144 * 2 layers
        assertThat(pass.moeMemory).isCloseTo(3.5 * 6144 * 2 * 2 / 3.35e12, within(1e-20));
        assertThat(pass.moeCompute).isCloseTo(3 * 2 * 2.0 * 6144 * 2 / 989.4e12, within(1e-22));
        // the routers (2 * 64 * 4) are read with the attention projections (2 * 12,288)
        assertThat(pass.linearMemory).isCloseTo((2 * 12_288 + 2 * 256) * 2 / 3.35e12, within(1e-20));
    }

    @Test
    void splitsPrefillAndDecodeAttention() {
        ForwardPass pass = new ForwardPass(new ShardedModel(RooflineStepTimeTest.TINY, 1, 1, 2, 2),
                HardwareSpec.named("H100"), TestingVllmConfig.of());
        StepBatch batch = new StepBatch();
        batch.add(8, 16);
        batch.add(1, 99);

        pass.measure(batch);

        // chunk 16..24: (24 * 25 - 16 * 17) / 2 = 164 pairs of 512 FLOPs; it reads 24 tokens of KV (256 B each)
        assertThat(pass.prefillAttentionCompute).isCloseTo(164 * 512 / 989.4e12, within(1e-24));
        assertThat(pass.prefillAttentionMemory).isCloseTo(24 * 256 / 3.35e12, within(1e-24));
        // decode at position 99: 100 pairs, 100 tokens of KV
        assertThat(pass.decodeAttentionCompute).isCloseTo(100 * 512 / 989.4e12, within(1e-24));
        assertThat(pass.decodeAttentionMemory).isCloseTo(100 * 256 / 3.35e12, within(1e-24));
        assertThat(pass.moeMemory).isZero();
        assertThat(pass.allReduce).isZero();
        assertThat(pass.pipelineTransfer).isZero();
    }
}
