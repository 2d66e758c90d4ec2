package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.ModelSpec;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.TestingEngineContext;
import org.junit.jupiter.api.Test;

class KvCapacityTest {

    @Test
    void llama31With8bOnOneH100MatchesTheReferenceWorkedExample() {
        KvCapacity capacity = capacity(config("llama-3.1-8b", null, 1, null, null, null, null));

        // reference §4.3: about 27,990 blocks (27,700 to 28,300), weights 14.99 GiB, 448k tokens
        assertThat(capacity.numGpuBlocks()).isBetween(27_700, 28_300);
        assertThat(capacity.weightBytesPerRank() / KvCapacity.GIB).isBetween(14.9, 15.0);
        assertThat((long) capacity.numGpuBlocks() * 16).isBetween(444_000L, 452_000L);
        assertThat(capacity.usableBlocks()).isEqualTo(capacity.numGpuBlocks() - 1);
    }

    @Test
    void tensorParallelismShardsWeightsAndKvHeads() {
        // reference §4.3: Llama-3.1-70B at TP 4 on H100: weights about 32.9 GiB per rank, about 29,700 blocks
        KvCapacity capacity = capacity(config("llama-3.1-70b", null, 4, null, null, null, null));

        assertThat(capacity.weightBytesPerRank() / KvCapacity.GIB).isBetween(32.8, 33.0);
        assertThat(capacity.numGpuBlocks()).isBetween(29_400, 30_000);
        assertThat(ShardedModel.of(ModelSpec.named("qwen2.5-7b"), config("qwen2.5-7b", null, 7, null, null, null,
                null)).kvHeadsPerRank()).as("KV heads replicated when tp exceeds them").isEqualTo(1);
    }

    @Test
    void staysWithinThreePercentOfMeasuredH100Capacities() {
        // GPU KV blocks vLLM v0.15.1 reported in calibration runs on H100 (max_model_len 4096); the runs used at
        // most 2048 batched tokens, so their activation term is smaller than the constant and vLLM found more room
        assertWithinThreePercentBelow(config("qwen2.5-7b", null, 1, 4096, 2048, 128, null), 65_352);
        assertWithinThreePercentBelow(config("llama-2-7b", null, 1, 4096, 2048, 128, null), 7_463);
        assertWithinThreePercentBelow(config("mistral-nemo-12b", null, 1, 4096, 2048, 128, null), 19_251);
        assertWithinThreePercentBelow(config("mistral-nemo-12b", null, 2, 4096, 1024, 128, null), 48_009);
        assertWithinThreePercentBelow(config("yi-34b", null, 2, 4096, 2048, 128, null), 20_793);
        assertWithinThreePercentBelow(config("llama-3.1-70b", null, 4, 4096, 8192, 128, null), 30_251);
    }

    @Test
    void numGpuBlocksOverridesTheDerivedCount() {
        VllmConfig config = config("llama-3.1-8b", null, 1, null, null, null, 1000);
        assertThat(capacity(config).numGpuBlocks()).isEqualTo(1000);

        VllmEngine engine = new VllmEngine(config, new TestingEngineContext());
        assertThat(engine.info().kvBlocks()).isEqualTo(999);
        assertThat(engine.info().properties()).containsEntry("num_gpu_blocks", "1000")
                .containsEntry("kv_tokens", "16000")
                .containsEntry("num_gpu_blocks_overridden", "true");
        assertThat(engine.load().kvBlocksTotal()).isEqualTo(999);
    }

    @Test
    void failsWhenTheWeightsDoNotFit() {
        assertThatThrownBy(() -> capacity(config("llama-3.1-70b", null, 1, null, null, null, null)))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith("model: the weights of llama-3.1-70b take 131.42 GiB per GPU at"
                        + " tensor_parallel_size 1");
    }

    @Test
    void failsWhenThePoolCannotHoldOneRequestOfMaxModelLen() {
        VllmConfig config = new VllmConfig("llama-3.1-8b", "A100-40GB", null, null, null, null, null, null, null, null,
                0.5, null, null, null, null, null);

        assertThatThrownBy(() -> capacity(config))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith("max_model_len: to serve at least one request with max_model_len 131072,"
                        + " 16.00 GiB of KV cache is needed, more than the available 3.19 GiB");
        VllmConfig shorter = new VllmConfig("llama-3.1-8b", "A100-40GB", null, null, null, null, null, 16384, null,
                null, 0.5, null, null, null, null, null);
        assertThat(capacity(shorter).numGpuBlocks()).isEqualTo(1634);
    }

    private static void assertWithinThreePercentBelow(VllmConfig config, int measured) {
        assertThat(capacity(config).numGpuBlocks()).as(config.model() + " tp " + config.tensorParallelSize())
                .isBetween((int) (measured * 0.97), measured);
    }

    static KvCapacity capacity(VllmConfig config) {
        return KvCapacity.of(config, HardwareSpec.named(config.hardware()),
                ShardedModel.of(ModelSpec.named(config.model()), config));
    }

    static VllmConfig config(String model, String hardware, int tp, Integer maxModelLen, Integer maxNumBatchedTokens,
            Integer maxNumSeqs, Integer numGpuBlocks) {
        return new VllmConfig(model, hardware, tp, null, null, maxNumSeqs, maxNumBatchedTokens, maxModelLen, null,
                numGpuBlocks, null, null, null, null, null, null);
    }
}
