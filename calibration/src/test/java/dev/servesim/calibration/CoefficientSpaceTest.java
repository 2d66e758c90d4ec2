package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoefficientSpaceTest {

    @Test
    void theOriginIsThePhysicalDefaultsOfTheReferenceGpu() {
        CoefficientSpace space = CoefficientSpace.all();
        HardwareSpec h100 = HardwareSpec.named("H100");

        Map<StepTimeTerm, Double> values = space.coefficients(new double[space.dimension()]);

        for (StepTimeTerm term : StepTimeTerm.values()) {
            assertThat(values.get(term)).as(term.key()).isEqualTo(term.physicalDefault(h100));
        }
        assertThat(space.penalty(new double[space.dimension()], 1.0)).isZero();
        // the per-token tokenization cost is never fitted
        assertThat(space.terms()).doesNotContain(StepTimeTerm.ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN)
                .hasSize(StepTimeTerm.values().length - 1);
    }

    @Test
    void aroundTheShippedSetTheOriginIsThatSetAndPinnedTermsKeepIt() {
        Map<StepTimeTerm, Double> shipped = StepTimeTerm.builtIn();
        CoefficientSpace space = CoefficientSpace.around(shipped, EnumSet.of(StepTimeTerm.LAYER_OVERHEAD_SECONDS));
        double[] far = new double[space.dimension()];
        for (int i = 0; i < far.length; i++) {
            far[i] = space.upperBound(i);
        }

        assertThat(space.coefficients(new double[space.dimension()])).isEqualTo(shipped);
        assertThat(space.terms()).doesNotContain(StepTimeTerm.LAYER_OVERHEAD_SECONDS);
        assertThat(space.pinned()).containsExactly(StepTimeTerm.LAYER_OVERHEAD_SECONDS);
        assertThat(space.pinning(EnumSet.of(StepTimeTerm.GEMM_EFFICIENCY)).prior(StepTimeTerm.STEP_OVERHEAD_SECONDS))
                .isEqualTo(shipped.get(StepTimeTerm.STEP_OVERHEAD_SECONDS));
        Map<StepTimeTerm, Double> highest = space.coefficients(far);
        assertThat(highest.get(StepTimeTerm.LAYER_OVERHEAD_SECONDS))
                .isEqualTo(shipped.get(StepTimeTerm.LAYER_OVERHEAD_SECONDS));
        assertThat(highest.get(StepTimeTerm.KV_READ_EFFICIENCY)).isEqualTo(1.0);
        assertThat(highest.get(StepTimeTerm.STEP_OVERHEAD_SECONDS))
                .isCloseTo(shipped.get(StepTimeTerm.STEP_OVERHEAD_SECONDS) * Math.exp(CoefficientSpace.LIMIT),
                        within(1e-12));
        // the search's scales are the priors' spreads: a factor 3 for costs, 1.1 for efficiencies
        double[] scales = space.scales();
        assertThat(scales[space.terms().indexOf(StepTimeTerm.STEP_OVERHEAD_SECONDS)]).isEqualTo(Math.log(3));
        assertThat(scales[space.terms().indexOf(StepTimeTerm.GEMM_EFFICIENCY)]).isEqualTo(Math.log(1.1));
    }

    @Test
    void theBoundsKeepEveryEfficiencyAtMostOneAndEveryCostPositive() {
        CoefficientSpace space = CoefficientSpace.all();
        double[] highest = new double[space.dimension()];
        double[] lowest = new double[space.dimension()];
        for (int i = 0; i < space.dimension(); i++) {
            highest[i] = space.upperBound(i);
            lowest[i] = space.lowerBound(i);
        }

        Map<StepTimeTerm, Double> high = space.coefficients(highest);
        Map<StepTimeTerm, Double> low = space.coefficients(lowest);

        for (StepTimeTerm term : space.terms()) {
            if (term.isEfficiency()) {
                assertThat(high.get(term)).as(term.key()).isCloseTo(1.0, within(1e-12)).isLessThanOrEqualTo(1.0);
                assertThat(low.get(term)).as(term.key()).isCloseTo(CoefficientSpace.MIN_EFFICIENCY, within(1e-12));
            } else {
                assertThat(high.get(term) / space.prior(term)).isCloseTo(Math.exp(3), within(1e-9));
                assertThat(low.get(term)).as(term.key()).isPositive();
            }
        }
    }

    @Test
    void thePenaltyCountsEachTermInUnitsOfItsPriorSpread() {
        CoefficientSpace space = CoefficientSpace.all();
        double[] x = new double[space.dimension()];
        int layer = space.terms().indexOf(StepTimeTerm.LAYER_OVERHEAD_SECONDS);
        int gemm = space.terms().indexOf(StepTimeTerm.GEMM_EFFICIENCY);
        // a cost 3x its prior and an efficiency 1/1.1 of its prior are one spread away each
        x[layer] = Math.log(3);
        x[gemm] = -Math.log(1.1);

        assertThat(space.penalty(x, 0.5)).isCloseTo(0.5 * 2, within(1e-12));
    }

    @Test
    void pinnedTermsLeaveThePointAndStayAtTheirPrior() {
        CoefficientSpace pinned = CoefficientSpace.all().pinning(EnumSet.of(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS));
        double[] x = new double[pinned.dimension()];
        // inside every bound (the efficiencies may rise at most ln(1 / 0.6) above their prior)
        java.util.Arrays.fill(x, 0.05);

        Map<StepTimeTerm, Double> values = pinned.coefficients(x);

        assertThat(pinned.terms()).doesNotContain(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS);
        assertThat(pinned.pinned()).containsExactly(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS);
        assertThat(values.get(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS))
                .isEqualTo(pinned.prior(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS));
        assertThat(pinned.point(values)).containsExactly(x, within(1e-12));
    }

    @Test
    void writesAFileTheEngineReads(@TempDir Path folder) throws IOException {
        CoefficientSpace space = CoefficientSpace.all();
        Path file = folder.resolve("sub/fit.properties");

        CoefficientSpace.write(space.coefficients(new double[space.dimension()]), file, List.of("a comment"), "test");

        String text = Files.readString(file);
        assertThat(text).startsWith("# a comment\nversion=2\nfitted_on=test\nreference_hardware=H100-SXM-80GB\n")
                .contains("\nlayer_overhead_seconds=2.00000e-05\n").contains("\ngemm_efficiency=0.720000\n");
    }

    @Test
    void writesTheIntervalsOfTheFittedTermsAfterTheTermsAsTheEngineReadsThem(@TempDir Path folder)
            throws IOException {
        CoefficientSpace space = CoefficientSpace.all();
        Map<StepTimeTerm, Double> values = space.coefficients(new double[space.dimension()]);
        Map<StepTimeTerm, Bootstrap.Interval> intervals = new EnumMap<>(StepTimeTerm.class);
        intervals.put(StepTimeTerm.STEP_OVERHEAD_SECONDS, new Bootstrap.Interval(0.0003, 0.00040812, 0.00058449));
        intervals.put(StepTimeTerm.LAYER_OVERHEAD_SECONDS, new Bootstrap.Interval(2e-5, 1.3612e-5, 2.6071e-5));
        intervals.put(StepTimeTerm.GEMM_EFFICIENCY, new Bootstrap.Interval(0.72, 0.65712, 0.75588));
        // pinned after the bootstrap: held at its prior, so without an interval
        intervals.put(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS, new Bootstrap.Interval(6e-6, 1e-6, 9e-6));
        Path file = folder.resolve("fit.properties");

        Map<String, String> keys = CoefficientSpace.intervalKeys(intervals,
                EnumSet.of(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS));
        CoefficientSpace.write(values, file, List.of(), "test", Map.of(), keys);

        assertThat(keys).containsExactly(entry("interval.step_overhead_seconds", "0.000408,0.000584"),
                entry("interval.layer_overhead_seconds", "1.36e-05,2.61e-05"),
                entry("interval.gemm_efficiency", "0.657,0.756"));
        assertThat(Files.readString(file)).endsWith("\noutput_overhead_seconds=0.00100000\n"
                + "interval.step_overhead_seconds=0.000408,0.000584\n"
                + "interval.layer_overhead_seconds=1.36e-05,2.61e-05\ninterval.gemm_efficiency=0.657,0.756\n");
        // the shipped set carries the keys of its fitted terms, in the writer's format
        Properties shipped = StepTimeTerm.builtInFile();
        for (StepTimeTerm term : StepTimeTerm.values()) {
            String interval = shipped.getProperty("interval." + term.key());
            if (CoefficientSpace.NEVER_FITTED.contains(term) || term == StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS) {
                assertThat(interval).as(term.key()).isNull();
                continue;
            }
            String[] ends = interval.split(",");
            assertThat(ends).as(term.key()).hasSize(2);
            for (String end : ends) {
                assertThat(end).isEqualTo(CoefficientSpace.intervalText(Double.parseDouble(end)));
            }
        }
    }

    @Test
    void writesTheCalibratedRangeOfTheRunsAfterTheReferenceGpu(@TempDir Path folder) throws IOException {
        Path runs = Path.of("..", "..", "shared", "calibration", "runs.csv");
        assumeTrue(Files.isRegularFile(runs), "../shared/calibration/runs.csv is absent: the range test needs the"
                + " shared calibration data next to the project");
        List<RunSpec> all = RunsFile.read(runs).stream().map(RunsFile.Row::spec).toList();
        CoefficientSpace space = CoefficientSpace.all();
        Path file = folder.resolve("fit.properties");

        Map<String, String> range = CoefficientSpace.calibratedRange(all);
        CoefficientSpace.write(space.coefficients(new double[space.dimension()]), file, List.of(), "test", range);

        // H100-SXM5-80GB is the catalog's H100-SXM-80GB; Llama-2-7B and Llama 4 Scout are the smallest and largest
        assertThat(range).containsExactly(entry("calibrated_hardware", "H100-SXM-80GB"),
                entry("calibrated_tensor_parallel_sizes", "1,2,4"), entry("calibrated_pipeline_parallel_sizes", "1"),
                entry("calibrated_parameters", "6738415616,107769861120"), entry("calibrated_max_model_len", "4096"),
                entry("calibrated_max_num_batched_tokens", "1024,8192"), entry("calibrated_dtypes", "bf16,fp16,fp8"));
        assertThat(Files.readString(file)).startsWith("version=2\nfitted_on=test\nreference_hardware=H100-SXM-80GB\n"
                + "calibrated_hardware=H100-SXM-80GB\ncalibrated_tensor_parallel_sizes=1,2,4\n");
        // the shipped set carries the same range
        Properties shipped = StepTimeTerm.builtInFile();
        range.forEach((key, value) -> assertThat(shipped.getProperty(key)).as(key).isEqualTo(value));
        assertThat(CoefficientSpace.calibratedRange(List.of())).isEmpty();
    }

    @Test
    void aTermFewerThanTwoModelsExerciseKeepsItsPhysicalDefault() {
        Path runs = Path.of("..", "..", "shared", "calibration", "runs.csv");
        assumeTrue(Files.isRegularFile(runs), "../shared/calibration/runs.csv is absent: the pinning test needs the"
                + " shared calibration data next to the project");
        List<RunSpec> all = RunsFile.read(runs).stream().map(RunsFile.Row::spec).toList();

        // Scout is the only mixture-of-experts model; four models run at TP > 1
        assertThat(CoefficientSpace.seenBy(all).pinned()).containsExactly(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS);
        // the size split trains on the 7B and 12B models: only Mistral-Nemo runs at TP 2
        List<RunSpec> small = all.stream().filter(run -> !HoldoutSplit.model(run).isMoe()
                && HoldoutSplit.model(run).parameters() <= 12.5e9).toList();
        assertThat(small).extracting(RunSpec::model).contains("mistralai/Mistral-Nemo-Instruct-2407");
        assertThat(CoefficientSpace.seenBy(small).pinned()).containsExactlyInAnyOrder(
                StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS, StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);
        assertThat(CoefficientSpace.seenBy(small).terms()).doesNotContain(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);
        // two TP > 1 models free the latency again
        List<RunSpec> twoModels = all.stream().filter(run -> run.model().contains("Nemo") || run.model().contains("Yi"))
                .toList();
        assertThat(CoefficientSpace.seenBy(twoModels).terms()).contains(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);
    }
}
