package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.CalibratedRange;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.TestingEngineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratedRangeTest {

    private static final CalibratedRange NARROW = new CalibratedRange(List.of("H100-SXM-80GB"), List.of(1, 2),
            List.of(1), new CalibratedRange.Span(7_000_000_000L, 13_000_000_000L), 4096,
            new CalibratedRange.Span(1024, 2048), List.of(Dtype.BF16));

    @TempDir
    Path folder;

    @Test
    void aReplicaWithinTheRangeHasNoReason() {
        VllmConfig config = config("model", "llama-3.1-8b", "max_num_batched_tokens", 2048);

        assertThat(check(NARROW, config)).isEmpty();
    }

    @Test
    void theHardwareMatchesByAliasToo() {
        CalibratedRange byAlias = new CalibratedRange(List.of("H100-SXM5-80GB"), List.of(), List.of(),
                CalibratedRange.Span.UNKNOWN, 0, CalibratedRange.Span.UNKNOWN, List.of());
        VllmConfig h100 = config("model", "llama-3.1-8b", "hardware", "H100-SXM-80GB");
        VllmConfig h200 = config("model", "llama-3.1-8b", "hardware", "H200-SXM-141GB");

        assertThat(check(byAlias, h100)).isEmpty();
        assertThat(check(byAlias, h200)).isEqualTo("outside the calibrated range: hardware"
                + " H200-SXM-141GB (calibrated on H100-SXM5-80GB)");
    }

    @Test
    void eachDimensionOutsideTheRangeIsAReason() {
        assertThat(reasonFor("hardware", "A100-SXM-80GB"))
                .isEqualTo("outside the calibrated range: hardware A100-SXM-80GB (calibrated on H100-SXM-80GB)");
        assertThat(reasonFor("dtype", "fp8")).isEqualTo("outside the calibrated range: dtype fp8 (calibrated bf16)");
        assertThat(reasonFor("tensor_parallel_size", 4))
                .isEqualTo("outside the calibrated range: tensor_parallel_size 4 (calibrated 1,2)");
        assertThat(reasonFor("pipeline_parallel_size", 2))
                .isEqualTo("outside the calibrated range: pipeline_parallel_size 2 (calibrated 1)");
        assertThat(reasonFor("model", "llama-2-7b"))
                .isEqualTo("outside the calibrated range: 6.7B parameters (calibrated 7.0B-13.0B)");
        assertThat(reasonFor("max_num_batched_tokens", 8192))
                .isEqualTo("outside the calibrated range: max_num_batched_tokens 8192 (calibrated 1024-2048)");
    }

    @Test
    void severalReasonsAreJoinedAndTheContextLengthIsNoneOfThem() {
        VllmConfig config = config("model", "llama-3.1-70b", "hardware", "H200-SXM-141GB", "tensor_parallel_size", 8,
                "max_num_batched_tokens", 2048, "max_model_len", 131072);

        assertThat(check(NARROW, config)).isEqualTo("outside the calibrated range:"
                + " hardware H200-SXM-141GB (calibrated on H100-SXM-80GB); tensor_parallel_size 8 (calibrated 1,2);"
                + " 70.6B parameters (calibrated 7.0B-13.0B)");
    }

    @Test
    void anUnknownRangeFlagsNothing() {
        VllmConfig config = config("model", "mixtral-8x22b", "hardware", "H200-SXM-141GB", "tensor_parallel_size", 8,
                "dtype", "fp8");

        assertThat(check(CalibratedRange.UNKNOWN, config)).isEmpty();
    }

    @Test
    void theBuiltInRangeHoldsLlama70bOnFourH100sAndNotOnH200s() {
        Map<String, String> h100 = properties(config("model", "llama-3.1-70b", "tensor_parallel_size", 4,
                "step_time", "physics"));
        Map<String, String> h200 = properties(config("model", "llama-3.1-70b", "tensor_parallel_size", 4,
                "hardware", "H200-SXM-141GB", "step_time", "physics"));
        Map<String, String> large = properties(config("model", "mixtral-8x22b", "tensor_parallel_size", 8,
                "hardware", "H200-SXM-141GB", "step_time", "physics"));

        assertThat(h100).containsEntry("calibration", "").containsEntry("calibrated_context_tokens", "4096");
        assertThat(h200).containsEntry("calibration", "outside the calibrated range: hardware H200-SXM-141GB"
                + " (calibrated on H100-SXM-80GB)").containsEntry("calibrated_context_tokens", "4096");
        assertThat(large).containsEntry("calibration", "outside the calibrated range: hardware H200-SXM-141GB"
                + " (calibrated on H100-SXM-80GB); tensor_parallel_size 8 (calibrated 1,2,4); 140.6B parameters"
                + " (calibrated 6.7B-107.8B)");
        // the planner's keys come last
        assertThat(List.copyOf(h100.keySet()).subList(h100.size() - 4, h100.size())).containsExactly(
                "roofline_prefill_tokens_per_s", "roofline_decode_tokens_per_s", "calibration",
                "calibrated_context_tokens");
    }

    @Test
    void aUserFileWithoutRangeKeysLeavesTheRangeUnknown() throws IOException {
        Path file = Files.writeString(folder.resolve("fit.properties"), "version=2\nfitted_on=mine\n");

        Map<String, String> properties = properties(config("model", "llama-3.1-70b", "tensor_parallel_size", 8,
                "hardware", "H200-SXM-141GB", "step_time", "physics", "coefficients", file.toString()));

        assertThat(properties).containsEntry("calibration", "").doesNotContainKey("calibrated_context_tokens");
    }

    @Test
    void theRooflineStepTimeIsNotCalibrated() {
        Map<String, String> properties = properties(config("model", "llama-3.1-8b", "step_time", "roofline"));

        assertThat(properties).containsEntry("calibration", "not calibrated (roofline step time)")
                .doesNotContainKey("calibrated_context_tokens").containsKey("roofline_decode_tokens_per_s");
    }

    private static String reasonFor(String key, Object value) {
        VllmConfig config = key.equals("model") ? config("model", value, "max_num_batched_tokens", 2048)
                : config("model", "llama-3.1-8b", "max_num_batched_tokens", 2048, key, value);
        return check(NARROW, config);
    }

    private static VllmConfig config(Object... keysAndValues) {
        return TestingVllmConfig.of(keysAndValues);
    }

    /** As the engine's properties check its configuration. */
    private static String check(CalibratedRange range, VllmConfig config) {
        return range.check(ModelSpec.named(config.model()), config.hardware(), config.dtype(),
                config.tensorParallelSize(), config.pipelineParallelSize(), config.maxNumBatchedTokens());
    }

    private static Map<String, String> properties(VllmConfig config) {
        return new VllmEngine(VllmSetup.of(config), new TestingEngineContext()).info().properties();
    }
}
