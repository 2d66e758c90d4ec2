package dev.servesim.engine.common.steptime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coefficients at a {@code coefficient_bound}: each fitted term at the slow or the fast end of its bootstrap
 * interval. The engine's side (its properties, a whole run) is the vllm engine's {@code CoefficientBoundTest}.
 */
class CoefficientIntervalsTest {

    @TempDir
    Path folder;

    @Test
    void theShippedIntervalKeysAreTheNumbersOfItsCommentLine() throws IOException {
        String text = new String(PhysicsCoefficients.class.getResourceAsStream(PhysicsCoefficients.RESOURCE)
                .readAllBytes(), StandardCharsets.UTF_8);
        String comment = text.lines().filter(line -> line.startsWith("# 90% bootstrap intervals:")).findFirst()
                .orElseThrow();
        Matcher matcher = Pattern.compile(" (\\w+) \\[([^,\\]]+), ([^\\]]+)\\];").matcher(comment);
        Properties shipped = StepTimeTerm.builtInFile();
        List<String> commented = new ArrayList<>();
        while (matcher.find()) {
            commented.add("interval." + matcher.group(1));
            assertThat(shipped.getProperty("interval." + matcher.group(1))).as(matcher.group(1))
                    .isEqualTo(matcher.group(2) + "," + matcher.group(3));
        }

        // every fitted term, and only those: moe_layer_overhead_seconds is pinned, the per-token cost never fitted
        assertThat(commented).hasSize(10);
        assertThat(shipped.stringPropertyNames().stream().filter(key -> key.startsWith("interval.")))
                .containsExactlyInAnyOrderElementsOf(commented);
        assertThat(shipped.getProperty("interval.moe_layer_overhead_seconds")).isNull();
        CoefficientIntervals intervals = PhysicsCoefficients.load(null).intervals();
        assertThat(intervals.byTerm()).hasSize(10).containsEntry(StepTimeTerm.GEMM_EFFICIENCY,
                new CoefficientIntervals.Interval(0.657, 0.756));
    }

    @Test
    void aSlowRunTakesTheSlowEndOfEachIntervalAndAFastRunTheFastEnd() {
        PhysicsCoefficients fitted = PhysicsCoefficients.load(null);
        PhysicsCoefficients slow = fitted.at(CoefficientBound.SLOW);
        PhysicsCoefficients fast = fitted.at(CoefficientBound.FAST);

        assertThat(fitted.at(CoefficientBound.FITTED)).isSameAs(fitted);
        assertThat(slow.get(StepTimeTerm.STEP_OVERHEAD_SECONDS)).isEqualTo(0.000584);
        assertThat(fast.get(StepTimeTerm.STEP_OVERHEAD_SECONDS)).isEqualTo(0.000408);
        assertThat(slow.get(StepTimeTerm.GEMM_EFFICIENCY)).isEqualTo(0.657);
        assertThat(fast.get(StepTimeTerm.GEMM_EFFICIENCY)).isEqualTo(0.756);
        assertThat(slow.get(StepTimeTerm.OUTPUT_OVERHEAD_SECONDS)).isEqualTo(0.00125);
        assertThat(fast.get(StepTimeTerm.ARRIVAL_OVERHEAD_SECONDS)).isEqualTo(0.00482);
        // the fit lies a hair outside two of its rounded intervals (4.036e-06 below [4.04e-06, 5.43e-06], 0.915119
        // above [0.838, 0.915]): there the fast run keeps the fitted value rather than slow the step
        assertThat(fast.get(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS))
                .isEqualTo(fitted.get(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS)).isLessThan(4.04e-6);
        assertThat(slow.get(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS)).isEqualTo(5.43e-6);
        assertThat(fast.get(StepTimeTerm.KV_READ_EFFICIENCY)).isEqualTo(fitted.get(StepTimeTerm.KV_READ_EFFICIENCY))
                .isGreaterThan(0.915);
        assertThat(slow.get(StepTimeTerm.KV_READ_EFFICIENCY)).isEqualTo(0.838);
        // terms without an interval keep their fitted value
        for (StepTimeTerm term : List.of(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS,
                StepTimeTerm.ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN)) {
            assertThat(slow.get(term)).as(term.key()).isEqualTo(fitted.get(term));
            assertThat(fast.get(term)).as(term.key()).isEqualTo(fitted.get(term));
        }
        for (StepTimeTerm term : StepTimeTerm.values()) {
            double lengthens = term.isEfficiency() ? -1 : 1;
            assertThat(lengthens * (slow.get(term) - fitted.get(term))).as(term.key()).isGreaterThanOrEqualTo(0);
            assertThat(lengthens * (fitted.get(term) - fast.get(term))).as(term.key()).isGreaterThanOrEqualTo(0);
        }
        assertThat(slow.source()).isEqualTo(fitted.source());
    }

    @Test
    void slowStepsAreLongerAndFastStepsShorterForEveryBatchShapeAndModel() {
        Map<String, StepBatch> batches = Map.of(
                "prefill", RooflineBatches.prefill(8192, 0),
                "decode", RooflineBatches.decodes(128, 2000),
                "mixed", mixed());
        List<Object[]> models = List.of(new Object[] {"llama-3.1-8b", 1}, new Object[] {"llama-3.1-70b", 4},
                new Object[] {"mixtral-8x7b", 2});
        for (Object[] model : models) {
            for (Map.Entry<String, StepBatch> batch : new TreeMap<>(batches).entrySet()) {
                String shape = model[0] + " TP" + model[1] + " " + batch.getKey();
                double slow = stepSeconds(model, CoefficientBound.SLOW, batch.getValue());
                double fitted = stepSeconds(model, CoefficientBound.FITTED, batch.getValue());
                double fast = stepSeconds(model, CoefficientBound.FAST, batch.getValue());

                assertThat(slow).as(shape).isGreaterThan(fitted);
                assertThat(fitted).as(shape).isGreaterThan(fast);
                // the intervals are narrow (at most a factor 1.9, for layer_overhead_seconds): so is the band
                assertThat(slow / fast).as(shape).isBetween(1.02, 1.6);
            }
        }
    }

    @Test
    void aUserFilesIntervalsAreItsOwn() throws IOException {
        Path file = Files.writeString(folder.resolve("fit.properties"), """
                version=2
                step_overhead_seconds=0.001
                interval.step_overhead_seconds=0.0008, 0.0015
                interval.gemm_efficiency=0.5,0.6
                """);

        PhysicsCoefficients coefficients = PhysicsCoefficients.load(file.toString());
        PhysicsCoefficients slow = coefficients.at(CoefficientBound.SLOW);

        assertThat(coefficients.intervals().byTerm()).containsOnlyKeys(StepTimeTerm.STEP_OVERHEAD_SECONDS,
                StepTimeTerm.GEMM_EFFICIENCY);
        assertThat(slow.get(StepTimeTerm.STEP_OVERHEAD_SECONDS)).isEqualTo(0.0015);
        // the built-in 0.657 lies above the file's interval: the slow end, 0.5
        assertThat(slow.get(StepTimeTerm.GEMM_EFFICIENCY)).isEqualTo(0.5);
        assertThat(coefficients.at(CoefficientBound.FAST).get(StepTimeTerm.GEMM_EFFICIENCY))
                .isEqualTo(coefficients.get(StepTimeTerm.GEMM_EFFICIENCY));
        assertThat(slow.get(StepTimeTerm.LAYER_OVERHEAD_SECONDS))
                .isEqualTo(coefficients.get(StepTimeTerm.LAYER_OVERHEAD_SECONDS));
        assertThat(slow.on(slow.reference()).intervals()).isTrue();
    }

    @Test
    void refusesMalformedIntervalKeysNamingThem() throws IOException {
        String[][] cases = {
            {"interval.step_overhead_seconds=0.001", "interval.step_overhead_seconds must be the lower and the upper"
                    + " end, lower,upper, got '0.001'"},
            {"interval.step_overhead_seconds=fast,0.002", "interval.step_overhead_seconds must be the lower and the"
                    + " upper end, lower,upper, got 'fast,0.002'"},
            {"interval.layer_overhead_seconds=0.002,0.001", "interval.layer_overhead_seconds must be the lower and"
                    + " the upper end, lower,upper, the lower first, got '0.002,0.001'"},
            {"interval.gemm_efficiency=0.5,1.2", "interval.gemm_efficiency must be within (0, 1], as gemm_efficiency"
                    + " is, got '0.5,1.2'"},
            {"interval.output_overhead_seconds=-0.001,0.001", "interval.output_overhead_seconds must be zero or"
                    + " positive numbers of seconds, as output_overhead_seconds is, got '-0.001,0.001'"},
        };
        for (String[] c : cases) {
            Path file = Files.writeString(folder.resolve("bad.properties"), "version=2\n" + c[0] + "\n");
            assertThatThrownBy(() -> PhysicsCoefficients.load(file.toString())).as(c[0])
                    .isInstanceOfSatisfying(ServesimException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                    .hasMessage("coefficients: " + file.toAbsolutePath() + ": " + c[1]);
        }
        Path unknown = Files.writeString(folder.resolve("unknown.properties"), "version=2\ninterval.zeta=1,2\n");
        assertThatThrownBy(() -> PhysicsCoefficients.load(unknown.toString()))
                .hasMessageContaining("has unknown keys [interval.zeta]")
                .hasMessageEndingWith(", output_overhead_seconds, interval.<term key>");
    }

    private static StepBatch mixed() {
        StepBatch batch = RooflineBatches.decodes(64, 1500);
        batch.add(2048, 512);
        return batch;
    }

    private static double stepSeconds(Object[] model, CoefficientBound bound, StepBatch batch) {
        // as the vllm engine on its default GPU, bf16
        HardwareSpec gpu = HardwareSpec.named("H100-SXM-80GB");
        return new StepTimeFormula(new ForwardPass(new ShardedModel(ModelSpec.named((String) model[0]), (int) model[1],
                1, 2, 2), gpu, Dtype.BF16), PhysicsCoefficients.load(null).at(bound).on(gpu), "physics")
                .stepSeconds(batch);
    }
}
