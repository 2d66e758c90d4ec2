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

        assertThat(coefficients.source()).isEqualTo("physics-coefficients-v2.properties");
        assertThat(coefficients.fittedOn()).startsWith("../shared/calibration/runs.csv");
        assertThat(coefficients.get(Term.LINEAR_COMPUTE)).isEqualTo(1.92944);
        assertThat(coefficients.get(Term.LINEAR_MEMORY)).isEqualTo(1.10471);
        assertThat(coefficients.get(Term.STEP_OVERHEAD_SECONDS)).isEqualTo(0.000885425);
        assertThat(coefficients.get(Term.OUTPUT_OVERHEAD_SECONDS)).isEqualTo(0.00295352);
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

    private static PhysicsStepTime physics(String model, PhysicsCoefficients coefficients) {
        VllmConfig config = TestingVllmConfig.of("model", model);
        return new PhysicsStepTime(ShardedModel.of(ModelSpec.named(model), config), HardwareSpec.named("H100"), config,
                coefficients);
    }
}
