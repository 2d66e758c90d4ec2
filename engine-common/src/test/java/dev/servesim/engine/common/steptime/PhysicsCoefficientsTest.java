package dev.servesim.engine.common.steptime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhysicsCoefficientsTest {

    @TempDir
    Path folder;

    @Test
    void builtInCoefficientsAreCompleteAndPhysical() {
        PhysicsCoefficients coefficients = PhysicsCoefficients.load(null);

        assertThat(coefficients.source()).isEqualTo("physics-coefficients-v4.properties");
        assertThat(coefficients.reference().name()).isEqualTo("H100-SXM-80GB");
        for (StepTimeTerm term : StepTimeTerm.values()) {
            if (term.isEfficiency()) {
                assertThat(coefficients.get(term)).as(term.key()).isGreaterThan(0).isLessThanOrEqualTo(1);
            } else {
                assertThat(coefficients.get(term)).as(term.key()).isGreaterThanOrEqualTo(0).isLessThan(0.1);
            }
        }
    }

    @Test
    void onTheReferenceGpuTheFittedValuesApplyAsTheyAre() {
        PhysicsCoefficients coefficients = PhysicsCoefficients.load(null);

        StepCoefficients onH100 = coefficients.on(HardwareSpec.named("H100"));

        for (StepTimeTerm term : StepTimeTerm.values()) {
            assertThat(onH100.get(term)).as(term.key()).isEqualTo(coefficients.get(term));
        }
        assertThat(onH100.interconnectEfficiency()).isEqualTo(0.8);
    }

    @Test
    void onAnotherGpuEfficienciesFollowItsOwnFiguresAndStayAtMostOne() throws IOException {
        Path file = write("fit.properties", """
                version=2
                fitted_on=test
                reference_hardware=H100
                gemm_efficiency=0.9
                weight_read_efficiency=0.5
                all_reduce_latency_seconds=0.000012
                """);
        PhysicsCoefficients coefficients = PhysicsCoefficients.load(file.toString());

        // A100: GEMMs 0.8 against H100's 0.72, memory 0.88 against 0.88, NVLink 3's 7 us against NVLink 4's 6 us
        StepCoefficients onA100 = coefficients.on(HardwareSpec.named("A100-80GB"));
        assertThat(onA100.get(StepTimeTerm.GEMM_EFFICIENCY)).isEqualTo(1.0);
        assertThat(onA100.get(StepTimeTerm.WEIGHT_READ_EFFICIENCY)).isCloseTo(0.5, within(1e-12));
        assertThat(onA100.get(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS)).isCloseTo(14e-6, within(1e-15));
        // L40S: GEMMs 0.6, memory 0.85, PCIe all-reduces 25 us
        StepCoefficients onL40s = coefficients.on(HardwareSpec.named("L40S"));
        assertThat(onL40s.get(StepTimeTerm.GEMM_EFFICIENCY)).isCloseTo(0.9 * 0.6 / 0.72, within(1e-12));
        assertThat(onL40s.get(StepTimeTerm.WEIGHT_READ_EFFICIENCY)).isCloseTo(0.5 * 0.85 / 0.88, within(1e-12));
        assertThat(onL40s.get(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS)).isCloseTo(50e-6, within(1e-15));
        assertThat(onL40s.interconnectEfficiency()).isEqualTo(0.6);
        // costs in seconds do not depend on the GPU
        assertThat(onL40s.get(StepTimeTerm.LAYER_OVERHEAD_SECONDS))
                .isEqualTo(coefficients.get(StepTimeTerm.LAYER_OVERHEAD_SECONDS));
    }

    @Test
    void builtInCoefficientsCarryOverToOtherGpusThroughTheirFigures() {
        // the coefficients were fitted on H100 only; on other GPUs the step time must follow the catalog's bandwidth
        // (decode) and FLOP/s (prefill), not the H100's
        StepBatch decode = RooflineBatches.decodes(32, 1000);
        StepBatch prefill = RooflineBatches.prefill(8192, 0);
        double h100Decode = onGpu("H100", decode);
        double h200Decode = onGpu("H200", decode);
        double b200Decode = onGpu("B200", decode);
        double a100Decode = onGpu("A100-80GB", decode);
        double l40sDecode = onGpu("L40S", decode);
        assertThat(b200Decode).isLessThan(h200Decode);
        assertThat(h200Decode).isLessThan(h100Decode);
        assertThat(h100Decode).isLessThan(a100Decode);
        assertThat(a100Decode).isLessThan(l40sDecode);
        // a memory-bound decode scales with bandwidth, less the fixed costs: H200 has 1.43x H100's bandwidth,
        // L40S a quarter of it
        assertThat(h100Decode / h200Decode).isBetween(1.1, 1.43);
        assertThat(l40sDecode / h100Decode).isBetween(2.2, 3.88);

        double h100Prefill = onGpu("H100", prefill);
        // the same tensor cores: H200 prefills a long prompt at nearly H100's speed
        assertThat(onGpu("H200", prefill) / h100Prefill).isBetween(0.9, 1.0);
        assertThat(onGpu("B200", prefill)).isLessThan(h100Prefill);
        // compute-bound: A100's 312 TFLOP/s against H100's 989 makes it 2.5-3.2x slower; L40S (362, but a smaller
        // achievable fraction) about as slow as A100
        double a100Prefill = onGpu("A100-80GB", prefill);
        assertThat(a100Prefill / h100Prefill).isBetween(2.4, 3.2);
        assertThat(onGpu("L40S", prefill) / a100Prefill).isBetween(0.8, 1.3);
    }

    @Test
    void aUserFileOverridesSomeCoefficientsAndKeepsTheOthers() throws IOException {
        Path file = write("partial.properties", "version=2\nfitted_on=test\nstep_overhead_seconds=0.002\n");

        PhysicsCoefficients coefficients = PhysicsCoefficients.load(file.toString());

        assertThat(coefficients.get(StepTimeTerm.STEP_OVERHEAD_SECONDS)).isEqualTo(0.002);
        assertThat(coefficients.get(StepTimeTerm.KV_READ_EFFICIENCY))
                .isEqualTo(PhysicsCoefficients.load(null).get(StepTimeTerm.KV_READ_EFFICIENCY));
        assertThat(coefficients.fittedOn()).isEqualTo("test");
        assertThat(coefficients.source()).isEqualTo(file.toString());
    }

    @Test
    void refusesBadFilesNamingTheCoefficientsKey() throws IOException {
        Path old = write("v1.properties", "version=1\nlinear_memory=1.5\n");
        Path version = write("v3.properties", "version=3\n");
        Path unknown = write("unknown.properties", "version=2\nzeta=1\nalpha=2\n");
        Path text = write("text.properties", "version=2\nlayer_overhead_seconds=fast\n");
        Path negative = write("negative.properties", "version=2\nstep_overhead_seconds=-1\n");
        Path faster = write("faster.properties", "version=2\nweight_read_efficiency=1.5\n");
        Path zero = write("zero.properties", "version=2\ngemm_efficiency=0\n");
        Path reference = write("reference.properties", "version=2\nreference_hardware=TPU\n");

        assertConfigError(old, "coefficients: " + old.toAbsolutePath() + " has version 1, the coefficients of"
                + " servesim's earlier physics model");
        assertConfigError(version, "coefficients: " + version.toAbsolutePath() + " has version 3; this vllm plugin"
                + " reads version 2");
        assertConfigError(unknown, "coefficients: " + unknown.toAbsolutePath() + " has unknown keys [alpha, zeta];"
                + " known: version, fitted_on, reference_hardware, calibrated_hardware,"
                + " calibrated_tensor_parallel_sizes, calibrated_pipeline_parallel_sizes, calibrated_parameters,"
                + " calibrated_max_model_len, calibrated_max_num_batched_tokens, calibrated_dtypes,"
                + " step_overhead_seconds");
        assertConfigError(text, "coefficients: " + text.toAbsolutePath() + ": layer_overhead_seconds = 'fast' is not"
                + " a number");
        assertConfigError(negative, "coefficients: " + negative.toAbsolutePath() + ": step_overhead_seconds must be"
                + " zero or a positive number of seconds, got -1");
        assertConfigError(faster, "coefficients: " + faster.toAbsolutePath() + ": weight_read_efficiency is a"
                + " fraction of the hardware's peak and must be in (0, 1], got 1.5");
        assertConfigError(zero, "coefficients: " + zero.toAbsolutePath() + ": gemm_efficiency is a fraction");
        assertConfigError(reference, "coefficients: reference_hardware: unknown GPU 'TPU'");
        assertConfigError(folder.resolve("absent.properties"), "coefficients: "
                + folder.resolve("absent.properties") + ": cannot read the coefficients file: no such file");
    }

    @Test
    void builtInRangeIsThatOfTheThirteenCalibrationRuns() {
        CalibratedRange range = PhysicsCoefficients.load(null).range();

        // ../shared/calibration/runs.csv: all on H100-SXM5-80GB, TP 1, 2 or 4, one GPU group per replica,
        // max_model_len 4096, max_num_batched_tokens 1024, 2048 or 8192, 16-bit (bfloat16, float16) and FP8 weights
        assertThat(range.hardware()).containsExactly("H100-SXM-80GB");
        assertThat(range.tensorParallelSizes()).containsExactly(1, 2, 4);
        assertThat(range.pipelineParallelSizes()).containsExactly(1);
        assertThat(range.maxModelLen()).isEqualTo(4096);
        assertThat(range.maxNumBatchedTokens()).isEqualTo(new CalibratedRange.Span(1024, 8192));
        assertThat(range.dtypes()).extracting(Dtype::value).containsExactly("bf16", "fp16", "fp8");
        // the smallest and the largest model of the runs, Llama-2-7B and Llama 4 Scout, as the engine counts them
        assertThat(range.parameters()).isEqualTo(new CalibratedRange.Span(
                ModelSpec.named("meta-llama/Llama-2-7b-hf").parameters(),
                ModelSpec.named("RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic").parameters()));
        for (String model : new String[] {"meta-llama/Llama-3.1-70B-Instruct", "mistralai/Mistral-Nemo-Instruct-2407",
                "Qwen/Qwen2.5-7B-Instruct", "01-ai/Yi-34B"}) {
            assertThat(range.parameters().contains(ModelSpec.named(model).parameters())).as(model).isTrue();
        }
    }

    @Test
    void aUserFileWithoutRangeKeysHasAnUnknownRangeAndOneWithThemItsOwn() throws IOException {
        Path bare = write("bare.properties", "version=2\nfitted_on=mine\n");
        Path ranged = write("ranged.properties", """
                version=2
                calibrated_hardware=H200-SXM-141GB, A100-SXM-80GB
                calibrated_tensor_parallel_sizes=8
                calibrated_max_model_len=32768
                """);

        assertThat(PhysicsCoefficients.load(bare.toString()).range()).isEqualTo(CalibratedRange.UNKNOWN);
        CalibratedRange range = PhysicsCoefficients.load(ranged.toString()).range();
        assertThat(range.hardware()).containsExactly("H200-SXM-141GB", "A100-SXM-80GB");
        assertThat(range.tensorParallelSizes()).containsExactly(8);
        assertThat(range.pipelineParallelSizes()).isEmpty();
        assertThat(range.maxModelLen()).isEqualTo(32768);
        assertThat(range.parameters().known()).isFalse();
    }

    @Test
    void refusesMalformedRangeKeys() throws IOException {
        Path span = write("span.properties", "version=2\ncalibrated_parameters=7000000000\n");
        Path reversed = write("reversed.properties", "version=2\ncalibrated_max_num_batched_tokens=8192,1024\n");
        Path size = write("size.properties", "version=2\ncalibrated_tensor_parallel_sizes=1,two\n");
        Path dtype = write("dtype.properties", "version=2\ncalibrated_dtypes=bf16,int4\n");
        Path length = write("length.properties", "version=2\ncalibrated_max_model_len=0\n");

        assertConfigError(span, "coefficients: " + span.toAbsolutePath() + ": calibrated_parameters must be the"
                + " smallest and the largest value, min,max, got '7000000000'");
        assertConfigError(reversed, "coefficients: " + reversed.toAbsolutePath() + ": calibrated_max_num_batched_tokens"
                + " must be the smallest and the largest value");
        assertConfigError(size, "coefficients: " + size.toAbsolutePath() + ": calibrated_tensor_parallel_sizes must be"
                + " whole numbers, got '1,two'");
        assertConfigError(dtype, "coefficients: " + dtype.toAbsolutePath() + ": calibrated_dtypes must be a list of"
                + " dtypes");
        assertConfigError(length, "coefficients: " + length.toAbsolutePath() + ": calibrated_max_model_len must be"
                + " positive whole numbers");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name), text);
    }

    private static void assertConfigError(Path file, String message) {
        assertThatThrownBy(() -> PhysicsCoefficients.load(file.toString()))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith(message);
    }

    private static double onGpu(String gpu, StepBatch batch) {
        HardwareSpec hardware = HardwareSpec.named(gpu);
        return new StepTimeFormula(new ForwardPass(new ShardedModel(ModelSpec.named("llama-3.1-8b"), 1, 1, 2, 2),
                hardware, Dtype.BF16), PhysicsCoefficients.load(null).on(hardware), "physics")
                .stepSeconds(batch);
    }
}
