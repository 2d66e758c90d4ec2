package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code servesim fidelity} on two small rows: the error columns and aggregates follow the scoring rule. */
class FidelityCommandTest {

    private static final List<String> METRICS = List.of("e2e_mean", "e2e_p90", "e2e_p99", "ttft_mean", "ttft_p90",
            "ttft_p99", "itl_mean");

    private static final String RUNS = """
            run_id,model,model_config,hardware,tp,precision,max_num_seqs,max_num_batched_tokens,max_model_len,\
            gpu_memory_utilization,block_size,total_kv_blocks,cpu_kv_blocks,cpu_offload,stages_rate_rps_x_duration_s,\
            num_unique_system_prompts,users_per_system_prompt,system_prompt_len,question_len,output_len,\
            measured_prompt_tokens_mean,implied_output_tokens_mean,e2e_mean_ms,e2e_p90_ms,e2e_p99_ms,ttft_mean_ms,\
            ttft_p90_ms,ttft_p99_ms,itl_mean_ms
            a,meta-llama/Llama-2-7b-hf,llama-2-7b,H100-SXM5-80GB,1,16-bit,32,512,1024,0.9,16,2000,0,false,4x5;8x5,\
            3,2,40,60,20,130,20,300,400,500,20,30,40,10
            b,Qwen/Qwen2.5-7B-Instruct,qwen2.5-7b,H100,1,16-bit,32,512,1024,0.9,16,,0,false,5x6,2,2,30,50,16,,,\
            200,250,300,15,25,35,8
            """;

    @Test
    void writesPerRunErrorsAndTheirMedians(@TempDir Path folder) throws Exception {
        Path runs = Files.writeString(folder.resolve("runs.csv"), RUNS);
        Path out = folder.resolve("out");
        StringWriter printed = new StringWriter();
        StringWriter errors = new StringWriter();
        CommandLine commandLine = ServesimCommand.commandLine();
        commandLine.setOut(new PrintWriter(printed, true));
        commandLine.setErr(new PrintWriter(errors, true));

        int code = commandLine.execute("fidelity", "--runs", runs.toString(), "--step-time", "roofline", "--seeds", "2",
                "--jobs", "2", "--out", out.toString(), "--plugins", folder.resolve("none").toString());

        assertThat(code).as(errors.toString()).isZero();
        assertThat(printed.toString()).contains("e2e_mean", "median APE", "runs covered 2 of 2");
        JsonNode json = new ObjectMapper().readTree(out.resolve("fidelity.json").toFile());
        double[][] ape = new double[2][];
        for (int r = 0; r < 2; r++) {
            JsonNode run = json.at("/runs/" + r);
            assertThat(run.get("status").asText()).isEqualTo("evaluated");
            ape[r] = new double[METRICS.size()];
            for (int m = 0; m < METRICS.size(); m++) {
                double predicted = run.at("/predicted/" + METRICS.get(m) + "_ms").asDouble();
                double actual = run.at("/actual/" + METRICS.get(m) + "_ms").asDouble();
                ape[r][m] = Math.abs(predicted - actual) / actual * 100;
                assertThat(run.at("/ape/" + METRICS.get(m)).asDouble()).isCloseTo(ape[r][m], within(1e-9));
            }
            double[] sorted = ape[r].clone();
            Arrays.sort(sorted);
            assertThat(run.get("median_ape").asDouble()).isCloseTo(sorted[3], within(1e-9));
        }
        assertThat(json.at("/runs/0/actual/e2e_mean_ms").asDouble()).isEqualTo(300);
        assertThat(json.at("/runs/0/kv_capacity/total_kv_blocks").asLong()).isEqualTo(2000);
        assertThat(json.at("/runs/0/kv_capacity/derived_gpu_blocks").asLong()).isPositive();
        JsonNode aggregates = json.get("aggregates");
        assertThat(aggregates.get("runs_covered").asInt()).isEqualTo(2);
        for (int m = 0; m < METRICS.size(); m++) {
            assertThat(aggregates.at("/median_ape/" + METRICS.get(m)).asDouble())
                    .isCloseTo((ape[0][m] + ape[1][m]) / 2, within(1e-9));
        }
        assertThat(aggregates.get("median_per_run_ape").asDouble()).isCloseTo(
                (json.at("/runs/0/median_ape").asDouble() + json.at("/runs/1/median_ape").asDouble()) / 2,
                within(1e-9));
        List<String> csv = Files.readAllLines(out.resolve("fidelity.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("run_id,model,status,reason,e2e_mean_predicted_ms,e2e_mean_actual_ms,"
                + "e2e_mean_ape,e2e_mean_pe");
        assertThat(Double.parseDouble(csv.get(1).split(",")[6])).isCloseTo(ape[0][0], within(1e-9));

        // the saturation check: measured by default, printed after the APE table, appended to the JSON and CSV
        assertThat(json.at("/settings/sustainable_rate").asBoolean()).isTrue();
        for (int r = 0; r < 2; r++) {
            JsonNode run = json.at("/runs/" + r);
            assertThat(run.get("sustainable_rate_rps").asDouble()).isPositive();
            assertThat(run.get("saturation").asText()).isIn("none", "false_saturation", "missed_saturation");
        }
        assertThat(json.at("/runs/0/stage_rates_rps").toString()).isEqualTo("[4.0,8.0]");
        assertThat(json.at("/runs/0/stages_above_sustainable_rate")).hasSize(2);
        assertThat(json.at("/aggregates/false_saturations").isInt()).isTrue();
        assertThat(json.at("/aggregates/missed_saturations").isInt()).isTrue();
        assertThat(csv.get(0)).endsWith(",kv_derived_error_percent,sustainable_rate_rps,stage_rates_rps,"
                + "stages_above_sustainable_rate,saturation");
        assertThat(csv.get(1)).contains(",4.0;8.0,");
        String text = printed.toString();
        assertThat(text.indexOf("saturation check")).isGreaterThan(text.indexOf("median per-run APE"));
        assertThat(text).containsPattern("\\| a \\| Llama-2-7b-hf \\| 4, 8\\*? \\| [0-9.]+ \\| [0-9]+ \\|")
                .contains("runs with a stage above the sustainable rate");
    }

    @Test
    void theSustainableRateCanBeSkipped(@TempDir Path folder) throws Exception {
        Path runs = Files.writeString(folder.resolve("runs.csv"), RUNS);
        StringWriter printed = new StringWriter();
        StringWriter errors = new StringWriter();
        CommandLine commandLine = ServesimCommand.commandLine();
        commandLine.setOut(new PrintWriter(printed, true));
        commandLine.setErr(new PrintWriter(errors, true));

        int code = commandLine.execute("fidelity", "--runs", runs.toString(), "--step-time", "roofline", "--seeds", "1",
                "--no-sustainable-rate", "--out", folder.resolve("out").toString(), "--plugins",
                folder.resolve("none").toString());

        assertThat(code).as(errors.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(folder.resolve("out/fidelity.json").toFile());
        assertThat(json.at("/settings/sustainable_rate").asBoolean()).isFalse();
        assertThat(json.at("/runs/0/sustainable_rate_rps").isNull()).isTrue();
        assertThat(json.at("/runs/0/sustainable_rate_note").asText()).isEqualTo("not measured");
        assertThat(json.at("/runs/0/saturation").asText()).isIn("none", "false_saturation", "missed_saturation");
        assertThat(printed.toString()).contains("sustainable rate not measured");
    }

    @Test
    void thePromptPoolIsRecordedAndABadOneIsRefusedNamingTheOption(@TempDir Path folder) throws Exception {
        Path runs = Files.writeString(folder.resolve("runs.csv"), RUNS);
        StringWriter errors = new StringWriter();
        CommandLine commandLine = ServesimCommand.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(errors, true));

        int bad = commandLine.execute("fidelity", "--runs", runs.toString(), "--prompt-pool", "20x20",
                "--out", folder.resolve("bad").toString());
        int good = commandLine.execute("fidelity", "--runs", runs.toString(), "--prompt-pool", "profile", "--seeds",
                "1", "--out", folder.resolve("profile").toString(), "--plugins", folder.resolve("none").toString());

        assertThat(bad).isEqualTo(2);
        assertThat(errors.toString()).contains("--prompt-pool", "must be 10x10 or profile, got '20x20'");
        assertThat(folder.resolve("bad")).doesNotExist();
        assertThat(good).as(errors.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(folder.resolve("profile/fidelity.json").toFile());
        assertThat(json.at("/settings/prompt_pool").asText()).isEqualTo("profile");
    }
}
