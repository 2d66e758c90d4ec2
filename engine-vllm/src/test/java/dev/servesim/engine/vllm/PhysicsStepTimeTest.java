package dev.servesim.engine.vllm;

import static dev.servesim.engine.vllm.RooflineStepTimeTest.decodes;
import static dev.servesim.engine.vllm.RooflineStepTimeTest.prefill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.vllm.PhysicsCoefficients.Term;
import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.ModelSpec;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhysicsStepTimeTest {

    @TempDir
    Path folder;

    @Test
    void builtInCoefficientsAreTheFittedSet() {
        PhysicsCoefficients coefficients = PhysicsCoefficients.load(null);

        assertThat(coefficients.source()).isEqualTo("physics-coefficients-v3.properties");
        assertThat(coefficients.fittedOn()).startsWith("../shared/calibration/runs.csv");
        assertThat(coefficients.get(Term.LINEAR_COMPUTE)).isEqualTo(1.11954);
        assertThat(coefficients.get(Term.LINEAR_MEMORY)).isEqualTo(1.51972);
        // weight reads and weight GEMMs cost the same in every layer kind (tied while fitting)
        assertThat(coefficients.get(Term.MOE_MEMORY)).isEqualTo(coefficients.get(Term.LINEAR_MEMORY));
        assertThat(coefficients.get(Term.LM_HEAD_COMPUTE)).isEqualTo(coefficients.get(Term.LINEAR_COMPUTE));
        assertThat(coefficients.get(Term.STEP_OVERHEAD_SECONDS)).isEqualTo(0.000172025);
        assertThat(coefficients.get(Term.OUTPUT_OVERHEAD_SECONDS)).isEqualTo(0.00105445);
    }

    @Test
    void builtInCoefficientsPassTheSanityChecks() {
        PhysicsStepTime physics = physics("llama-3.1-8b", PhysicsCoefficients.load(null));

        double one = physics.stepSeconds(decodes(1, 200));
        assertThat(physics.stepSeconds(decodes(1, 1000))).isBetween(0.0055, 0.008);
        assertThat(physics.stepSeconds(decodes(2, 200))).isGreaterThan(one).isLessThan(1.05 * one);
        double prefill8k = physics.stepSeconds(prefill(8192, 0));
        assertThat(physics.stepSeconds(prefill(16384, 0))).isGreaterThan(2 * prefill8k);
    }

    @Test
    void builtInCoefficientsCarryOverToOtherGpusThroughTheirPeaks() {
        // the coefficients were fitted on H100 only; on other GPUs the step time must follow the catalog's bandwidth
        // (decode) and FLOP/s (prefill), not the H100's
        StepBatch decode = decodes(32, 1000);
        StepBatch prefill = prefill(8192, 0);
        double h100Decode = onGpu("H100", decode);
        double h200Decode = onGpu("H200", decode);
        double b200Decode = onGpu("B200", decode);
        double a100Decode = onGpu("A100-80GB", decode);
        double l40sDecode = onGpu("L40S", decode);
        assertThat(b200Decode).isLessThan(h200Decode);
        assertThat(h200Decode).isLessThan(h100Decode);
        assertThat(h100Decode).isLessThan(a100Decode);
        assertThat(a100Decode).isLessThan(l40sDecode);
        // a memory-bound decode scales with bandwidth, less the fixed overheads: H200 has 1.43x H100's bandwidth,
        // L40S a quarter of it
        assertThat(h100Decode / h200Decode).isBetween(1.2, 1.43);
        assertThat(l40sDecode / h100Decode).isBetween(2.5, 3.88);

        double h100Prefill = onGpu("H100", prefill);
        // the same tensor cores: H200 prefills a long prompt at nearly H100's speed (only its weight reads are faster)
        assertThat(onGpu("H200", prefill) / h100Prefill).isBetween(0.9, 1.0);
        assertThat(onGpu("B200", prefill)).isLessThan(h100Prefill);
        // compute-bound: A100's 312 TFLOP/s against H100's 989 makes it about 3x slower, L40S (362) a little faster
        // than A100
        double a100Prefill = onGpu("A100-80GB", prefill);
        assertThat(a100Prefill / h100Prefill).isBetween(2.5, 3.2);
        assertThat(onGpu("L40S", prefill)).isLessThan(a100Prefill);
    }

    @Test
    void isTheSumOfTheFeaturesWhereTheRooflineTakesTheMaximumPerPart() throws IOException {
        // tiny model decode: every part is memory-bound, so the two models differ only by the compute terms
        VllmConfig config = TestingVllmConfig.of();
        ShardedModel tiny = new ShardedModel(RooflineStepTimeTest.TINY, 1, 1, 2, 2);
        PhysicsStepTime physics = new PhysicsStepTime(tiny, HardwareSpec.named("H100"), config, unfitted());
        RooflineStepTime roofline = new RooflineStepTime(tiny, HardwareSpec.named("H100"), config);
        StepBatch batch = decodes(1, 0);

        // linear 2 * 73,728 FLOPs, LM head 2 * 64,000 FLOPs, attention 1 pair of 512 FLOPs, each at 50% of peak
        double computeTerms = 2 * (2 * 73_728 + 2 * 64_000 + 512) / 989.4e12;
        assertThat(physics.stepSeconds(batch)).isCloseTo(roofline.stepSeconds(batch) + computeTerms, within(1e-18));
    }

    @Test
    void aUserFileOverridesSomeCoefficientsAndKeepsTheOthers() throws IOException {
        Path file = write("partial.properties", "version=1\nfitted_on=test\nstep_overhead_seconds=0.002\n");

        PhysicsCoefficients coefficients = PhysicsCoefficients.load(file.toString());

        assertThat(coefficients.get(Term.STEP_OVERHEAD_SECONDS)).isEqualTo(0.002);
        assertThat(coefficients.get(Term.LINEAR_MEMORY)).isEqualTo(PhysicsCoefficients.load(null).get(Term.LINEAR_MEMORY));
        assertThat(coefficients.fittedOn()).isEqualTo("test");
        assertThat(coefficients.source()).isEqualTo(file.toString());
    }

    @Test
    void refusesBadFilesNamingTheCoefficientsKey() throws IOException {
        Path version = write("v2.properties", "version=2\n");
        Path unknown = write("unknown.properties", "version=1\nzeta=1\nalpha=2\n");
        Path text = write("text.properties", "version=1\nlinear_memory=fast\n");
        Path negative = write("negative.properties", "version=1\nall_reduce=-1\n");

        assertConfigError(version, "coefficients: " + version.toAbsolutePath() + " has version 2; this vllm plugin"
                + " reads version 1");
        assertConfigError(unknown, "coefficients: " + unknown.toAbsolutePath() + " has unknown keys [alpha, zeta];"
                + " known: version, fitted_on, step_overhead_seconds");
        assertConfigError(text, "coefficients: " + text.toAbsolutePath() + ": linear_memory = 'fast' is not a number");
        assertConfigError(negative, "coefficients: " + negative.toAbsolutePath() + ": all_reduce must be zero or a"
                + " positive number, got -1");
        assertConfigError(folder.resolve("absent.properties"), "coefficients: cannot read "
                + folder.resolve("absent.properties").toAbsolutePath());
    }

    /**
     * The first, unfitted set (compute features x 2 = 1/MFU, memory x 1.25 = 1/MBU), kept as a test resource so the
     * hand-computed comparison with the roofline does not depend on the shipped fitted values.
     */
    private PhysicsCoefficients unfitted() throws IOException {
        try (var in = PhysicsStepTimeTest.class.getResourceAsStream("physics-coefficients-v1.properties")) {
            return PhysicsCoefficients.load(write("v1.properties", new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8)).toString());
        }
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
        VllmConfig config = TestingVllmConfig.of("model", "llama-3.1-8b", "hardware", gpu, "step_time", "physics");
        return new PhysicsStepTime(ShardedModel.of(ModelSpec.named("llama-3.1-8b"), config), HardwareSpec.named(gpu),
                config, PhysicsCoefficients.load(null)).stepSeconds(batch);
    }

    private static PhysicsStepTime physics(String model, PhysicsCoefficients coefficients) {
        VllmConfig config = TestingVllmConfig.of("model", model);
        return new PhysicsStepTime(ShardedModel.of(ModelSpec.named(model), config), HardwareSpec.named("H100"), config,
                coefficients);
    }
}
