package dev.servesim.engine.common.steptime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.ModelSpec;
import org.junit.jupiter.api.Test;

class RooflineBoundsTest {

    @Test
    void theBoundsAreTheForwardPassTermsTheStepTimeAddsUp() {
        // as the vllm engine runs them on its default GPU: 1024 sequences unless set, KV cache in the weights' dtype
        HardwareSpec gpu = HardwareSpec.named("H100-SXM-80GB");
        check("llama-3.1-70b", new ShardedModel(ModelSpec.named("llama-3.1-70b"), 4, 1, 2, 2), gpu, Dtype.BF16, 1024);
        check("mixtral-8x7b", new ShardedModel(ModelSpec.named("mixtral-8x7b"), 2, 1, 2, 2), gpu, Dtype.BF16, 64);
        check("llama-4-scout-17b-16e", new ShardedModel(ModelSpec.named("llama-4-scout-17b-16e"), 2, 1, 1, 1), gpu,
                Dtype.FP8, 1024);
    }

    private static void check(String model, ShardedModel sharded, HardwareSpec gpu, Dtype dtype, int batch) {
        ForwardPass pass = new ForwardPass(sharded, gpu, dtype);
        RooflineBounds bounds = RooflineBounds.of(sharded, gpu, dtype, batch);

        pass.measure(RooflineBatches.decodes(batch, 100));
        double memory = pass.linearMemory + pass.moeMemory + pass.lmHeadMemory;
        assertThat(bounds.decodeTokensPerSecond()).as(model)
                .isCloseTo(Math.min(batch / memory, bounds.prefillTokensPerSecond()), within(1e-6 * batch / memory));
        pass.measure(RooflineBatches.prefill(2048, 0));
        double compute = pass.linearCompute + pass.moeCompute;
        // one request: its LM head row is the only compute beyond the tokens' linear layers and experts
        assertThat(2048 / compute).as(model).isLessThanOrEqualTo(bounds.prefillTokensPerSecond())
                .isCloseTo(bounds.prefillTokensPerSecond(), within(1e-9 * bounds.prefillTokensPerSecond()));
    }
}
