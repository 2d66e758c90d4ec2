package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.runner.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FidelityEvaluatorTest {

    static final String HEADER = "run_id,model,model_config,hardware,tp,precision,max_num_seqs,max_num_batched_tokens,"
            + "max_model_len,gpu_memory_utilization,block_size,total_kv_blocks,cpu_kv_blocks,cpu_offload,"
            + "stages_rate_rps_x_duration_s,num_unique_system_prompts,users_per_system_prompt,system_prompt_len,"
            + "question_len,output_len,measured_prompt_tokens_mean,implied_output_tokens_mean,e2e_mean_ms,e2e_p90_ms,"
            + "e2e_p99_ms,ttft_mean_ms,ttft_p90_ms,ttft_p99_ms,itl_mean_ms";

    /** Two small rows on catalog models, and one on a GPU the simulator does not know. */
    static Path writeRuns(Path folder) throws IOException {
        Path runs = folder.resolve("runs.csv");
        Files.writeString(runs, String.join("\n", HEADER,
                "a,meta-llama/Llama-2-7b-hf,llama-2-7b,H100-SXM5-80GB,1,16-bit,32,512,1024,0.9,16,2000,0,false,"
                        + "4x5;8x5,3,2,40,60,20,130,20,300,400,500,20,30,40,10",
                "b,Qwen/Qwen2.5-7B-Instruct,qwen2.5-7b,H100-SXM5-80GB,1,16-bit,32,512,1024,0.9,16,,0,false,"
                        + "5x6,2,2,30,50,16,,,200,250,300,15,25,35,8",
                "c,meta-llama/Llama-2-7b-hf,llama-2-7b,TPU-v9,1,16-bit,32,512,1024,0.9,16,2000,0,false,"
                        + "4x5,3,2,40,60,20,,,300,400,500,20,30,40,10") + "\n");
        return runs;
    }

    @Test
    void errorColumnsAndAggregatesFollowTheScoringRule(@TempDir Path folder) throws IOException {
        List<RunsFile.Row> rows = RunsFile.read(writeRuns(folder));
        SimulationSettings settings = new SimulationSettings("roofline", Optional.empty(), 2, 1.0, 2,
                SimulationSettings.POOL_PROFILE);

        FidelityResult result = new FidelityEvaluator(PluginRegistry.discover(List.of())).evaluate(rows, settings, true);

        assertThat(result.outcomes()).hasSize(3);
        assertThat(result.outcomes().get(2)).isInstanceOf(RunOutcome.Skipped.class);
        assertThat(((RunOutcome.Skipped) result.outcomes().get(2)).reason()).contains("TPU-v9");
        RunOutcome.Evaluated a = (RunOutcome.Evaluated) result.outcomes().get(0);
        RunOutcome.Evaluated b = (RunOutcome.Evaluated) result.outcomes().get(1);
        assertThat(a.seeds()).hasSize(2);
        assertThat(a.seeds().get(0).completed()).isEqualTo(20 + 40);

        double[] actualA = {300, 400, 500, 20, 30, 40, 10};
        double[] actualB = {200, 250, 300, 15, 25, 35, 8};
        double[] apeA = a.ape();
        double[] apeB = b.ape();
        double[] predictedA = a.predicted().values();
        double[] predictedB = b.predicted().values();
        for (int m = 0; m < 7; m++) {
            double seedMean = (a.seeds().get(0).predicted().values()[m] + a.seeds().get(1).predicted().values()[m]) / 2;
            assertThat(predictedA[m]).isCloseTo(seedMean, within(1e-9));
            assertThat(apeA[m]).isCloseTo(Math.abs(predictedA[m] - actualA[m]) / actualA[m] * 100, within(1e-9));
            assertThat(apeB[m]).isCloseTo(Math.abs(predictedB[m] - actualB[m]) / actualB[m] * 100, within(1e-9));
            assertThat(a.pe()[m]).isCloseTo((predictedA[m] - actualA[m]) / actualA[m] * 100, within(1e-9));
        }
        // ITL: row a divides by its implied output tokens (20), row b by output_len (16)
        assertThat(predictedA[6]).isCloseTo((predictedA[0] - predictedA[3]) / 19, within(1e-9));
        assertThat(predictedB[6]).isCloseTo((predictedB[0] - predictedB[3]) / 15, within(1e-9));

        Aggregates aggregates = result.aggregates();
        assertThat(aggregates.runsTotal()).isEqualTo(3);
        assertThat(aggregates.runsCovered()).isEqualTo(2);
        for (int m = 0; m < 7; m++) {
            // the median of two values is their mean
            assertThat(aggregates.medianApeByMetric().get(m)).isCloseTo((apeA[m] + apeB[m]) / 2, within(1e-9));
        }
        assertThat(aggregates.medianPerRunApe())
                .isCloseTo((sortedMiddle(apeA) + sortedMiddle(apeB)) / 2, within(1e-9));
        assertThat(aggregates.maxE2eMeanApe()).isEqualTo(Math.max(apeA[0], apeB[0]));

        // KV capacity: only row a gives total_kv_blocks
        assertThat(a.derivedGpuBlocks()).isPresent();
        assertThat(a.kvCapacityErrorPercent().orElseThrow())
                .isCloseTo((a.derivedGpuBlocks().getAsLong() - 2000) / 2000.0 * 100, within(1e-9));
        assertThat(b.derivedGpuBlocks()).isEmpty();
    }

    @Test
    void resultsDoNotDependOnTheNumberOfJobs(@TempDir Path folder) throws IOException {
        List<RunsFile.Row> rows = RunsFile.read(writeRuns(folder));
        PluginRegistry registry = PluginRegistry.discover(List.of());
        FidelityResult one = new FidelityEvaluator(registry)
                .evaluate(rows, new SimulationSettings("physics", Optional.empty(), 2, 1.0, 1, "10x10"), false);
        FidelityResult two = new FidelityEvaluator(registry)
                .evaluate(rows, new SimulationSettings("physics", Optional.empty(), 2, 1.0, 2, "10x10"), false);
        assertThat(FidelityReport.apeTable(one)).isEqualTo(FidelityReport.apeTable(two));
    }

    @Test
    void theSustainableRateIsMeasuredWhenAskedForAndRecordedInTheResultSettings(@TempDir Path folder)
            throws IOException {
        List<RunsFile.Row> rows = RunsFile.read(writeRuns(folder));
        FidelityEvaluator evaluator = new FidelityEvaluator(PluginRegistry.discover(List.of()));
        SimulationSettings settings = new SimulationSettings("physics", Optional.empty(), 1, 1.0, 2, "10x10");

        FidelityResult without = evaluator.evaluate(rows, settings, false);
        FidelityResult with = evaluator.evaluate(rows, settings, false, true);
        FidelityResult oneJob = evaluator.evaluate(rows,
                new SimulationSettings("physics", Optional.empty(), 1, 1.0, 1, "10x10", true), false);

        assertThat(without.settings().sustainableRate()).isFalse();
        assertThat(with.settings().sustainableRate()).isTrue();
        for (int r = 0; r < 2; r++) {
            RunOutcome.Evaluated plain = (RunOutcome.Evaluated) without.outcomes().get(r);
            RunOutcome.Evaluated measured = (RunOutcome.Evaluated) with.outcomes().get(r);
            assertThat(plain.sustainableRate()).isEmpty();
            assertThat(plain.sustainableRateNote()).contains(RunOutcome.NOT_MEASURED);
            assertThat(measured.sustainableRate()).isPresent();
            assertThat(measured.sustainableRateNote()).isEmpty();
            // deterministic: the settings' flag gives the same figures, whatever the number of jobs
            assertThat(measured.sustainableRate()).isEqualTo(
                    ((RunOutcome.Evaluated) oneJob.outcomes().get(r)).sustainableRate());
            // the predictions do not depend on the extra simulations
            assertThat(measured.predicted()).isEqualTo(plain.predicted());
        }
        // row a's stages (4 and 8 req/s on a small batch of 32) stay far below what the server sustains
        RunOutcome.Evaluated a = (RunOutcome.Evaluated) with.outcomes().get(0);
        assertThat(a.stagesAboveSustainableRate()).contains(List.of(false, false));
        assertThat(with.outcomes().get(2)).isInstanceOf(RunOutcome.Skipped.class);
    }

    @Test
    void thePromptPoolChoosesTheDistinctPromptsOfTheRegeneratedWorkload(@TempDir Path folder) throws IOException {
        RunSpec row = RunsFile.read(writeRuns(folder)).get(0).spec();
        String buildDefault = ScenarioYaml.of(row, new SimulationSettings("physics", Optional.empty(), 1, 1.0, 1,
                SimulationSettings.POOL_BUILD_DEFAULT), 1, false);
        String profile = ScenarioYaml.of(row, new SimulationSettings("physics", Optional.empty(), 1, 1.0, 1,
                SimulationSettings.POOL_PROFILE), 1, false);

        // row a: 3 system prompts x 2 users in the profile; inference-perf's build cycled 10 x 10 prompts
        assertThat(buildDefault).contains("num_unique_system_prompts: 10\n", "users_per_system_prompt: 10\n");
        assertThat(profile).contains("num_unique_system_prompts: 3\n", "users_per_system_prompt: 2\n");
    }

    private static double sortedMiddle(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[3];
    }
}
