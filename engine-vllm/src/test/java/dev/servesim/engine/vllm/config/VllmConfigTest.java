package dev.servesim.engine.vllm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.testing.TestingPlugins;
import org.junit.jupiter.api.Test;

class VllmConfigTest {

    @Test
    void fillsVllmServeDefaultsForAnH100() {
        VllmConfig config = TestingPlugins.defaultConfig(VllmConfig.class);

        assertThat(config).isEqualTo(new VllmConfig("llama-3.1-8b", "H100-SXM-80GB", 1, "bf16", "auto", 1024, 8192,
                131072, 16, null, 0.9, 0, "fcfs", 0.5, 0.8, 0.0005));
        assertThat(config.kvCacheBytesPerElement()).isEqualTo(2);
        assertThat(config.weightBytesPerElement()).isEqualTo(2);
    }

    @Test
    void usesTheSmallDefaultsOnA100AndOnGpusUnder70Gib() {
        for (String hardware : new String[] {"A100-SXM-80GB", "A100-40GB", "L40S"}) {
            VllmConfig config = config(hardware, null, null, null);
            assertThat(config.maxNumSeqs()).as(hardware).isEqualTo(256);
            assertThat(config.maxNumBatchedTokens()).as(hardware).isEqualTo(2048);
        }
        assertThat(config("H200", null, null, null).maxNumBatchedTokens()).isEqualTo(8192);
        assertThat(config("MI300X", null, null, null).maxNumSeqs()).isEqualTo(1024);
    }

    @Test
    void capsDefaultLimitsAgainstEachOther() {
        // max_num_seqs defaults to at most max_num_batched_tokens
        assertThat(config(null, null, 512, null).maxNumSeqs()).isEqualTo(512);
        // max_num_batched_tokens defaults to at most max_num_seqs * max_model_len
        VllmConfig tiny = config(null, 2, null, 100);
        assertThat(tiny.maxNumBatchedTokens()).isEqualTo(200);
        assertThat(tiny.maxNumSeqs()).isEqualTo(2);
    }

    @Test
    void bindsEveryKey() {
        VllmConfig config = new VllmConfig("Llama-3.1-70B", "h100", 4, "bfloat16", "fp8", 128, 2048, 4096, 32, 30000,
                0.85, 512, "priority", 0.4, 0.7, 0.001);

        assertThat(config).isEqualTo(new VllmConfig("llama-3.1-70b", "H100-SXM-80GB", 4, "bf16", "fp8", 128, 2048,
                4096, 32, 30000, 0.85, 512, "priority", 0.4, 0.7, 0.001));
        assertThat(config.kvCacheBytesPerElement()).isEqualTo(1);
        assertThat(new VllmConfig(null, null, null, "fp8", null, null, null, null, null, null, null, null, null,
                null, null, null).kvCacheBytesPerElement()).isEqualTo(1);
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertConfigError(() -> new VllmConfig(null, null, 9, null, null, null, null, null, null, null, null, null,
                null, null, null, null), "tensor_parallel_size: must be between 1 and 8, got 9");
        assertConfigError(() -> new VllmConfig(null, null, 3, null, null, null, null, null, null, null, null, null,
                null, null, null, null), "tensor_parallel_size: 3 does not divide the 32 attention heads");
        assertConfigError(() -> new VllmConfig(null, null, null, "int4", null, null, null, null, null, null, null,
                null, null, null, null, null), "dtype: must be one of");
        assertConfigError(() -> new VllmConfig(null, null, null, null, "int8", null, null, null, null, null, null,
                null, null, null, null, null), "kv_cache_dtype: must be one of");
        assertConfigError(() -> config(null, 300, 200, null),
                "max_num_seqs: must be at most max_num_batched_tokens (200), got 300");
        assertConfigError(() -> config(null, 0, null, null), "max_num_seqs: must be positive");
        assertConfigError(() -> config(null, null, -1, null), "max_num_batched_tokens: must be positive");
        assertConfigError(() -> config(null, null, null, 131073), "max_model_len: must be between 2 and the context"
                + " length 131072 of llama-3.1-8b, got 131073");
        assertConfigError(() -> new VllmConfig(null, null, null, null, null, null, null, null, 24, null, null, null,
                null, null, null, null), "block_size: must be one of [1, 8, 16, 32, 64, 128, 256], got 24");
        assertConfigError(() -> new VllmConfig(null, null, null, null, null, null, null, null, null, 1, null, null,
                null, null, null, null), "num_gpu_blocks: must be at least 2");
        assertConfigError(() -> new VllmConfig(null, null, null, null, null, null, null, null, null, null, 1.2, null,
                null, null, null, null), "gpu_memory_utilization: must be in (0, 1], got 1.2");
        assertConfigError(() -> new VllmConfig(null, null, null, null, null, null, null, null, null, null, null, -5,
                null, null, null, null), "long_prefill_token_threshold: must be zero or positive, got -5");
        assertConfigError(() -> new VllmConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                "lifo", null, null, null), "scheduling_policy: must be one of [fcfs, priority], got lifo");
        assertConfigError(() -> new VllmConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, 0.0, null, null), "mfu: must be in (0, 1]");
        assertConfigError(() -> new VllmConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, 1.5, null), "mbu: must be in (0, 1]");
        assertConfigError(() -> new VllmConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, -0.1), "step_overhead: must be zero or a positive number");
    }

    @Test
    void unknownModelOrHardwareListsTheKnownNames() {
        assertConfigError(() -> new VllmConfig("gpt-5", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null), "model: unknown model 'gpt-5'; known: llama-3.1-8b, llama-3.1-70b,"
                + " llama-2-7b, mistral-7b, qwen2.5-7b, mistral-nemo-12b, yi-34b");
        assertConfigError(() -> config("TPU-v5", null, null, null), "hardware: unknown GPU 'TPU-v5'; known:"
                + " H100-SXM-80GB, H200-SXM-141GB, A100-SXM-80GB, A100-SXM-40GB, L40S, B200, MI300X");
    }

    @Test
    void computesParameterCountsFromTheShapes() {
        assertThat(ModelSpec.named("llama-3.1-8b").parameters()).isEqualTo(8_030_261_248L);
        assertThat(ModelSpec.named("llama-3.1-70b").parameters()).isEqualTo(70_553_706_496L);
        assertThat(ModelSpec.named("llama-2-7b").parameters()).isEqualTo(6_738_415_616L);
        assertThat(ModelSpec.named("mistral-7b").parameters()).isEqualTo(7_248_023_552L);
        assertThat(ModelSpec.named("qwen2.5-7b").parameters()).isEqualTo(7_615_616_512L);
    }

    private static VllmConfig config(String hardware, Integer maxNumSeqs, Integer maxNumBatchedTokens,
            Integer maxModelLen) {
        return new VllmConfig(null, hardware, null, null, null, maxNumSeqs, maxNumBatchedTokens, maxModelLen, null,
                null, null, null, null, null, null, null);
    }

    private static void assertConfigError(Runnable action, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith(message);
    }
}
