package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * calibrate --traces on traces measured from a deployment whose coefficients are known ({@link TestingTraces#truth}:
 * the shipped set with the step overhead doubled and the output overhead at 6 ms). Few evaluations keep the tests
 * short; CMA-ES is seeded, so each test's outcome is fixed.
 */
class TraceCalibratorTest {

    private static final Map<StepTimeTerm, Double> SHIPPED = StepTimeTerm.builtIn();
    private static final Map<StepTimeTerm, Double> TRUTH = TestingTraces.truth();

    private static TraceCalibrator.Result calibrate(List<Path> traces, Path config, Path output, int evaluations,
            int jobs, StringWriter printed) {
        return new TraceCalibrator(TestingTraces.REGISTRY, new PrintWriter(printed, true)).run(
                new TraceCalibrationOptions(traces, config, List.of(), output, evaluations, 0.5, jobs, 1));
    }

    private static double overheads(Map<StepTimeTerm, Double> values) {
        return values.get(StepTimeTerm.ARRIVAL_OVERHEAD_SECONDS) + values.get(StepTimeTerm.OUTPUT_OVERHEAD_SECONDS);
    }

    private static double sum(List<TraceScore> scores) {
        return scores.stream().mapToDouble(TraceScore::medianRequestApe).sum();
    }

    @Test
    void aTraceOfAKnownDeploymentMovesTheFitTowardItsCoefficientsAndCutsTheErrors(@TempDir Path folder)
            throws IOException {
        Path config = TestingTraces.config(folder);
        Path trace = TestingTraces.measured(folder.resolve("bursts.jsonl"), TestingTraces.quietThenBursts(10), config,
                TRUTH);
        StringWriter printed = new StringWriter();

        TraceCalibrator.Result result = calibrate(List.of(trace), config, folder.resolve("fit.properties"), 30, 1,
                printed);

        // one model at TP 1: only step_overhead_seconds of the fixed per-step costs is free
        assertThat(result.pinned().keySet()).containsExactly(StepTimeTerm.LAYER_OVERHEAD_SECONDS,
                StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS, StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);
        for (StepTimeTerm term : result.pinned().keySet()) {
            assertThat(result.coefficients().get(term)).as(term.key()).isEqualTo(SHIPPED.get(term));
        }
        assertThat(printed.toString()).contains("layer_overhead_seconds stays at its shipped value: every trace's"
                + " engine pays it 32 times a step", "all_reduce_latency_seconds stays at its shipped value: every"
                + " trace's engine runs at tensor-parallel size 1");

        // toward the truth: the step overhead (x2), and the time a lone request's TTFT spends outside the engine's
        // steps, which the arrival and output overheads share (a trace tells little more than their sum)
        double step = result.coefficients().get(StepTimeTerm.STEP_OVERHEAD_SECONDS)
                / SHIPPED.get(StepTimeTerm.STEP_OVERHEAD_SECONDS);
        assertThat(step).isBetween(1.4, 2.6);
        assertThat(Math.abs(overheads(result.coefficients()) - overheads(TRUTH)))
                .isLessThan(Math.abs(overheads(SHIPPED) - overheads(TRUTH)) / 2);

        // in sample, and on the second half of the requests by coefficients fitted on the first, the errors fall
        TraceCalibrator.PartFigures all = result.inSample().get(0);
        assertThat(sum(all.after())).isLessThan(sum(all.before()) / 2);
        assertThat(result.holdout()).isEqualTo("time-halves");
        TraceCalibrator.FoldResult fold = result.folds().get(0);
        assertThat(fold.fittedOn()).containsExactly("bursts.jsonl (first half)");
        TraceCalibrator.PartFigures secondHalf = fold.heldOut().get(0);
        assertThat(secondHalf.part()).isEqualTo("second half");
        assertThat(secondHalf.requests()).isEqualTo(16);
        assertThat(sum(secondHalf.after())).isLessThan(sum(secondHalf.before()));
        assertThat(printed.toString()).contains("calibrate: held out, the second half of the trace's requests",
                "| trace | requests | TTFT shipped | TTFT fitted |", "| bursts.jsonl (second half) | 16 |",
                "| bursts.jsonl | 31 |");

        // the file is the engine's format, and fidelity --trace with it agrees better than with the shipped set
        Properties written = new Properties();
        try (Reader reader = Files.newBufferedReader(folder.resolve("fit.properties"))) {
            written.load(reader);
        }
        assertThat(written.getProperty("version")).isEqualTo("2");
        assertThat(written.getProperty("reference_hardware")).isEqualTo("H100-SXM-80GB");
        assertThat(written.getProperty("fitted_on")).isEqualTo("bursts.jsonl (1 trace(s), 31 requests), see comments");
        assertThat(Files.readString(folder.resolve("fit.properties")))
                .contains("# Pinned to its shipped value: moe_layer_overhead_seconds (no trace's model is a mixture")
                .contains("# Held out (time-halves), bursts.jsonl (second half), median per-request APE");
        TraceFidelity fidelity = new TraceFidelity(TestingTraces.REGISTRY);
        TraceFidelity.Result shipped = fidelity.run(trace, config, List.of(), folder.resolve("shipped"));
        TraceFidelity.Result fitted = fidelity.run(trace, config, List.of("framework.coefficients='"
                + folder.resolve("fit.properties") + "'"), folder.resolve("fitted"));
        for (int metric = 0; metric < 3; metric++) {
            assertThat(fitted.rows().get(metric).medianRequestApe()).as(fitted.rows().get(metric).metric())
                    .isLessThan(shipped.rows().get(metric).medianRequestApe());
        }

        JsonNode report = new ObjectMapper().readTree(folder.resolve("fit-calibration.json").toFile());
        assertThat(result.report()).isEqualTo(folder.resolve("fit-calibration.json"));
        assertThat(report.at("/holdout/scheme").asText()).isEqualTo("time-halves");
        assertThat(report.at("/holdout/folds/0/held_out/0/part").asText()).isEqualTo("second half");
        assertThat(report.at("/holdout/folds/0/held_out/0/metrics/0/metric").asText()).isEqualTo("ttft_ms");
        assertThat(report.at("/pinned/layer_overhead_seconds").asText()).contains("32 times a step");
        assertThat(report.at("/fit/coefficients/step_overhead_seconds").asDouble())
                .isEqualTo(result.coefficients().get(StepTimeTerm.STEP_OVERHEAD_SECONDS));
        assertThat(report.at("/shipped/step_overhead_seconds").asDouble())
                .isEqualTo(SHIPPED.get(StepTimeTerm.STEP_OVERHEAD_SECONDS));
    }

    @Test
    void twoTracesAreHeldOutInTurnAndTheSameInputsGiveByteIdenticalFilesWhateverTheJobs(@TempDir Path folder)
            throws IOException {
        Path config = TestingTraces.config(folder);
        Path bursts = TestingTraces.measured(folder.resolve("bursts.jsonl"), TestingTraces.quietThenBursts(2),
                config, TRUTH);
        Path steady = TestingTraces.measured(folder.resolve("steady.jsonl"), TestingTraces.steady(12), config, TRUTH);
        StringWriter printed = new StringWriter();

        TraceCalibrator.Result result = calibrate(List.of(bursts, steady), config, folder.resolve("one/fit.properties"),
                10, 1, printed);
        calibrate(List.of(bursts, steady), config, folder.resolve("two/fit.properties"), 10, 2, new StringWriter());

        assertThat(result.holdout()).isEqualTo("leave-one-trace-out");
        assertThat(result.folds()).extracting(TraceCalibrator.FoldResult::name)
                .containsExactly("bursts.jsonl", "steady.jsonl");
        assertThat(result.folds()).extracting(TraceCalibrator.FoldResult::fittedOn)
                .containsExactly(List.of("steady.jsonl"), List.of("bursts.jsonl"));
        assertThat(result.folds().get(0).heldOut()).extracting(TraceCalibrator.PartFigures::trace)
                .containsExactly("bursts.jsonl");
        // the fit starts from the shipped set, which it keeps unless it finds better
        for (TraceCalibrator.PartFigures part : result.inSample()) {
            assertThat(sum(part.after())).as(part.trace()).isLessThanOrEqualTo(sum(part.before()));
        }
        assertThat(printed.toString()).contains("calibrate: held out, leave one trace out",
                "| bursts.jsonl | 23 |", "| steady.jsonl | 12 |");
        assertThat(Files.readString(folder.resolve("one/fit.properties")))
                .contains("fitted_on=bursts.jsonl, steady.jsonl (2 trace(s), 35 requests), see comments",
                        "# Held out (leave-one-trace-out), steady.jsonl, median per-request APE");

        assertThat(Files.readAllBytes(folder.resolve("two/fit.properties")))
                .isEqualTo(Files.readAllBytes(folder.resolve("one/fit.properties")));
        assertThat(Files.readAllBytes(folder.resolve("two/fit-calibration.json")))
                .isEqualTo(Files.readAllBytes(folder.resolve("one/fit-calibration.json")));
    }

    @Test
    void aTraceTooShortToSplitHasNoHeldOutFigure(@TempDir Path folder) throws IOException {
        Path config = TestingTraces.config(folder);
        Path trace = TestingTraces.measured(folder.resolve("short.jsonl"), TestingTraces.steady(6), config, TRUTH);
        StringWriter printed = new StringWriter();

        TraceCalibrator.Result result = calibrate(List.of(trace), config, folder.resolve("fit.properties"), 10, 1,
                printed);

        assertThat(result.holdout()).isEqualTo("none");
        assertThat(result.folds()).isEmpty();
        assertThat(printed.toString()).contains("calibrate: no held-out figure: one trace of 6 requests (10 are"
                + " needed");
        assertThat(Files.readString(folder.resolve("fit.properties"))).contains("# Held out: none");
    }

    @Test
    void aBadLineOfAnyTraceIsNamedBeforeAnythingRunsAndNothingIsWritten(@TempDir Path folder) throws IOException {
        Path config = TestingTraces.config(folder);
        Path good = TestingTraces.write(folder.resolve("good.jsonl"), TestingTraces.steady(4), null);
        Path bad = Files.writeString(folder.resolve("bad.jsonl"), Files.readString(good)
                .replaceFirst("\"ttft_ms\": 50.000000", "\"ttft_ms\": -1"));
        Path output = folder.resolve("out/fit.properties");

        assertThatThrownBy(() -> calibrate(List.of(good, bad), config, output, 10, 1, new StringWriter()))
                .isInstanceOf(ServesimException.class)
                .hasMessage(bad + ":2: ttft_ms: expected a non-negative number, got -1");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void aConfigurationForTheRooflineIsRefusedNamingTheKey(@TempDir Path folder) throws IOException {
        Path config = Files.writeString(folder.resolve("roofline.yaml"), TestingTraces.CONFIG
                .replace("name: vllm,", "name: vllm, step_time: roofline, mfu: 0.5,"));
        Path trace = TestingTraces.write(folder.resolve("trace.jsonl"), TestingTraces.steady(4), null);

        assertThatThrownBy(() -> calibrate(List.of(trace), config, folder.resolve("fit.properties"), 10, 1,
                new StringWriter()))
                .isInstanceOf(ServesimException.class)
                .hasMessageContaining("framework.mfu is a setting of step_time roofline");
        assertThat(folder.resolve("fit.properties")).doesNotExist();
    }
}
