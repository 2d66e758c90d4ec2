package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The saturation check in fidelity.json, fidelity.csv and the printed report, on hand-made outcomes. */
class FidelityOutputTest {

    private static final List<RunSpec.Stage> STAGES = List.of(new RunSpec.Stage(2.5, 600), new RunSpec.Stage(6, 600));
    private static final String NO_RATE = "run b: no steady state under a backlog after 24 runs";

    /** Run a: TTFT mean 4x the measured one, sustainable rate 5 req/s; b: no sustainable rate; c: skipped. */
    private static FidelityResult result() {
        RunOutcome.Evaluated a = TestingRuns.evaluated(TestingRuns.spec("a", STAGES, TestingRuns.ACTUAL,
                OptionalLong.empty()), new Metrics(1100, 1100, 1100, 400, 400, 400, 11), 5);
        Metrics exact = TestingRuns.ACTUAL;
        RunOutcome.Evaluated b = new RunOutcome.Evaluated(TestingRuns.spec("b", STAGES, exact, OptionalLong.of(0)),
                exact, List.of(new SimulatedRun(1, exact, 10, 0)), OptionalLong.empty(), Optional.empty(),
                Optional.empty(), Optional.of(NO_RATE));
        List<RunOutcome> outcomes = List.of(a, b, new RunOutcome.Skipped("c", "unknown GPU TPU-v9"));
        return new FidelityResult(TestingRuns.settings().withSustainableRate(true), outcomes, Aggregates.of(outcomes));
    }

    @Test
    void jsonAppendsTheSaturationKeysAfterTheExistingOnes() {
        JsonNode json = FidelityJson.of(result(), Path.of("runs.csv"), new ObjectMapper());

        assertThat(json.at("/settings/sustainable_rate").asBoolean()).isTrue();
        assertThat(fieldNames(json.at("/runs/0"))).containsExactly("run_id", "status", "model", "tp",
                "prompt_extra_tokens", "itl_output_tokens", "predicted", "actual", "ape", "pe", "median_ape",
                "seed_range_ms", "seeds", "completed_requests", "unsuccessful_requests", "kv_capacity",
                "sustainable_rate_rps", "sustainable_rate_window_s", "sustainable_rate_note", "stage_rates_rps",
                "stages_above_sustainable_rate", "saturation");
        JsonNode a = json.at("/runs/0");
        assertThat(a.get("sustainable_rate_rps").asDouble()).isEqualTo(5.0);
        assertThat(a.get("sustainable_rate_window_s").toString()).isEqualTo("[10.0,60.0]");
        assertThat(a.get("sustainable_rate_note").isNull()).isTrue();
        assertThat(a.get("stage_rates_rps").toString()).isEqualTo("[2.5,6.0]");
        assertThat(a.get("stages_above_sustainable_rate").toString()).isEqualTo("[false,true]");
        assertThat(a.get("saturation").asText()).isEqualTo("false_saturation");
        JsonNode b = json.at("/runs/1");
        assertThat(b.get("sustainable_rate_rps").isNull()).isTrue();
        assertThat(b.get("sustainable_rate_window_s").isNull()).isTrue();
        assertThat(b.get("sustainable_rate_note").asText()).isEqualTo(NO_RATE);
        assertThat(b.get("stages_above_sustainable_rate").isNull()).isTrue();
        assertThat(b.get("saturation").asText()).isEqualTo("none");
        assertThat(fieldNames(json.at("/runs/2"))).containsExactly("run_id", "status", "reason");
        assertThat(fieldNames(json.get("aggregates"))).containsExactly("runs_total", "runs_covered", "runs_skipped",
                "median_ape", "median_pe", "median_per_run_ape", "per_run_ape_p25", "per_run_ape_p75",
                "max_e2e_mean_ape", "false_saturations", "missed_saturations", "runs_above_sustainable_rate");
        assertThat(json.at("/aggregates/false_saturations").asInt()).isEqualTo(1);
        assertThat(json.at("/aggregates/missed_saturations").asInt()).isZero();
        assertThat(json.at("/aggregates/runs_above_sustainable_rate").asInt()).isEqualTo(1);
    }

    @Test
    void csvAppendsTheSaturationColumnsToEveryRow() {
        List<String> lines = FidelityCsv.of(result()).lines().toList();

        List<String> header = List.of(lines.get(0).split(","));
        assertThat(header.subList(0, 5)).containsExactly("run_id", "model", "status", "reason",
                "e2e_mean_predicted_ms");
        assertThat(header.subList(header.size() - 8, header.size())).containsExactly("median_ape", "total_kv_blocks",
                "derived_gpu_blocks", "kv_derived_error_percent", "sustainable_rate_rps", "stage_rates_rps",
                "stages_above_sustainable_rate", "saturation");
        assertThat(tail(lines.get(1), 4)).containsExactly("5.0", "2.5;6.0", "false;true", "false_saturation");
        assertThat(tail(lines.get(2), 4)).containsExactly("", "2.5;6.0", "", "none");
        assertThat(lines.get(3).split(",", -1)).hasSize(header.size());
        assertThat(tail(lines.get(3), 4)).containsExactly("", "", "", "");
    }

    @Test
    void theConsolePrintsTheSaturationTableAfterTheApeTable() {
        String printed = FidelityReport.table(result());

        assertThat(printed.indexOf("saturation check")).isGreaterThan(printed.indexOf("median per-run APE"));
        assertThat(printed).contains(
                "| run | model | stage rates (req/s) | sustainable (req/s) | peak load % | ttft_mean sim/real |"
                        + " saturation |",
                "| a | Qwen2.5-7B-Instruct | 2.5, 6* | 5.00 | 120 | 4.00 | false_saturation |",
                "| b | Qwen2.5-7B-Instruct | 2.5, 6 |  |  | 1.00 | none |",
                "| c | skipped | | | | | |",
                "run b: no sustainable rate: " + NO_RATE,
                "false saturations 1, missed saturations 0 (simulated and measured TTFT mean more than 3x apart);"
                        + " runs with a stage above the sustainable rate 1 of 1 measured");
        // the calibrator's held-out table stays as it was
        assertThat(FidelityReport.apeTable(result())).doesNotContain("saturation");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> tail(String line, int cells) {
        List<String> all = List.of(line.split(",", -1));
        return all.subList(all.size() - cells, all.size());
    }
}
