package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.GpuMemory;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.ShardedModel;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
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
    void theEngineReportsItsMemoryPlanPerGpu() {
        VllmConfig config = TestingVllmConfig.of("model", "llama-3.1-8b", "num_gpu_blocks", 1000);
        EngineInfo info = new VllmEngineFactory().create(config, new TestingEngineContext()).info();
        GpuMemory memory = info.memory();

        // H100 reports 79.19 GiB; 0.9 of it is the budget; 1.5 GiB activations + 0.1 GiB non-torch at TP 1
        assertThat(memory.known()).isTrue();
        assertThat(memory.gpu()).isEqualTo("H100-SXM-80GB");
        assertThat(memory.gpusPerReplica()).isEqualTo(1);
        assertThat(memory.totalGib()).isEqualTo(79.19);
        assertThat(memory.budgetGib()).isCloseTo(79.19 * 0.9, within(1e-6));
        assertThat(memory.weightsGib()).isBetween(14.9, 15.0);
        assertThat(memory.reserveGib()).isCloseTo(1.6, within(1e-12));
        assertThat(memory.kvCacheGib()).isCloseTo(memory.budgetGib() - memory.weightsGib() - 1.6, within(1e-9));
        // the overridden block count sets the KV pool, the memory plan stays what vLLM would have derived
        assertThat(info.kvTokens()).isEqualTo(999L * 16);

        GpuMemory tensorParallel = new VllmEngineFactory().create(TestingVllmConfig.of("model", "llama-3.1-70b",
                "tensor_parallel_size", 4), new TestingEngineContext()).info().memory();
        assertThat(tensorParallel.gpusPerReplica()).isEqualTo(4);
        assertThat(tensorParallel.weightsGib()).isBetween(32.8, 33.0);
        assertThat(tensorParallel.reserveGib()).isCloseTo(2.1, within(1e-12));
    }

    @Test
    void tensorParallelismShardsWeightsAndKvHeads() {
        // reference §4.3: Llama-3.1-70B at TP 4 on H100: weights about 32.9 GiB per rank, about 29,700 blocks
        KvCapacity capacity = capacity(config("llama-3.1-70b", null, 4, null, null, null, null));

        assertThat(capacity.weightBytesPerRank() / KvCapacity.GIB).isBetween(32.8, 33.0);
        assertThat(capacity.numGpuBlocks()).isBetween(29_400, 30_000);
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
    void pipelineStagesSplitTheLayersAsVllmAndTheTightestStageSetsTheBlocks() {
        // get_pp_indices: 32 layers over 3 stages are 11, 11, 10 (the extra layers go to the stages before the last)
        ShardedModel threeStages = VllmSetup.shard(ModelSpec.named("llama-3.1-8b"),
                TestingVllmConfig.of("pipeline_parallel_size", 3));
        assertThat(threeStages.stageLayers(0)).isEqualTo(11);
        assertThat(threeStages.stageLayers(1)).isEqualTo(11);
        assertThat(threeStages.stageLayers(2)).isEqualTo(10);
        // the last stage holds the LM head, the first the embedding (same size): stage 1 is the lightest
        assertThat(threeStages.stageWeightBytes(1)).isLessThan(threeStages.stageWeightBytes(0));

        // TP 2 x PP 2 spreads Llama-3.1-70B over 4 GPUs with the same weights and KV bytes per GPU as TP 4
        KvCapacity tp2pp2 = capacity(TestingVllmConfig.of("model", "llama-3.1-70b", "tensor_parallel_size", 2,
                "pipeline_parallel_size", 2));
        KvCapacity tp4 = capacity(config("llama-3.1-70b", null, 4, null, null, null, null));
        assertThat((double) tp2pp2.numGpuBlocks()).isCloseTo(tp4.numGpuBlocks(), withinPercentage(0.5));
        assertThat(tp2pp2.weightBytesPerRank() / KvCapacity.GIB).isBetween(32.8, 33.0);
    }

    @Test
    void cpuTierBlocksAreTheOffloadBytesOverOneBlockOnEveryGpu() {
        // calibration runs: 8 GiB of CPU KV per GPU gave these cpu_kv_blocks (the total is 8 GiB times the GPUs)
        assertThat(cpuBlocks("qwen2.5-7b", 1, 8.0)).isEqualTo(9_362);
        assertThat(cpuBlocks("mistral-nemo-12b", 1, 8.0)).isEqualTo(3_276);
        assertThat(cpuBlocks("mistral-nemo-12b", 2, 16.0)).isEqualTo(6_553);
        assertThat(cpuBlocks("yi-34b", 2, 16.0)).isEqualTo(4_369);
        assertThat(cpuBlocks("llama-3.1-70b", 4, 32.0)).isEqualTo(6_553);
        // vLLM reported 1023 for Llama-2-7B (8 MiB blocks): one block fewer than 8 GiB / 8 MiB
        assertThat(cpuBlocks("llama-2-7b", 1, 8.0)).isEqualTo(1_024);
        assertThat(capacity(TestingVllmConfig.of("cpu_offload_blocks", 500)).cpuBlocks()).isEqualTo(500);
        assertThat(capacity(TestingVllmConfig.of()).cpuBlocks()).isZero();
    }

    @Test
    void numGpuBlocksOverridesTheDerivedCount() {
        VllmConfig config = config("llama-3.1-8b", null, 1, null, null, null, 1000);
        assertThat(capacity(config).numGpuBlocks()).isEqualTo(1000);

        VllmEngine engine = new VllmEngine(VllmSetup.of(config), new TestingEngineContext());
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
        VllmConfig config = TestingVllmConfig.of("hardware", "A100-40GB", "gpu_memory_utilization", 0.5);

        assertThatThrownBy(() -> capacity(config))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith("max_model_len: to serve at least one request with max_model_len 131072,"
                        + " 16.00 GiB of KV cache is needed, more than the available 3.19 GiB");
        VllmConfig shorter = TestingVllmConfig.of("hardware", "A100-40GB", "gpu_memory_utilization", 0.5,
                "max_model_len", 16384);
        assertThat(capacity(shorter).numGpuBlocks()).isEqualTo(1634);
    }

    private static int cpuBlocks(String model, int tp, double gib) {
        return capacity(TestingVllmConfig.of("model", model, "tensor_parallel_size", tp, "max_model_len", 4096,
                "cpu_offload_gb", gib)).cpuBlocks();
    }

    private static void assertWithinThreePercentBelow(VllmConfig config, int measured) {
        assertThat(capacity(config).numGpuBlocks()).as(config.model() + " tp " + config.tensorParallelSize())
                .isBetween((int) (measured * 0.97), measured);
    }

    static KvCapacity capacity(VllmConfig config) {
        return KvCapacity.of(config, config.hardware(),
                VllmSetup.shard(ModelSpec.named(config.model()), config));
    }

    static VllmConfig config(String model, String hardware, int tp, Integer maxModelLen, Integer maxNumBatchedTokens,
            Integer maxNumSeqs, Integer numGpuBlocks) {
        return TestingVllmConfig.of("model", model, "hardware", hardware, "tensor_parallel_size", tp, "max_num_seqs",
                maxNumSeqs, "max_num_batched_tokens", maxNumBatchedTokens, "max_model_len", maxModelLen,
                "num_gpu_blocks", numGpuBlocks);
    }
}
