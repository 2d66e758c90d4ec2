package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import dev.servesim.runner.PluginRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fidelity --trace replays a vllm-vcr trace and compares what was measured with what the simulator gives. The
 * measured side of these traces is written from a first replay of the same trace, so the expected APEs are known.
 */
class TraceFidelityTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.discover(List.of());
    private static final String CONFIG = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cache: {strategy: block-hash}
            workload: {source: poisson, rate: 1, duration: 1}
            """;

    /**
     * 40 requests, 0.25 s apart; prompts of 3 full 16-token blocks plus a partial one, the first block shared by
     * all, the second by every other request; outputs of 20 tokens. Measured TTFT and gaps are
     * {@code scale} times the simulated ones (from {@code simulated}), or placeholders when it is null.
     */
    private static Path trace(Path file, List<double[]> simulated, double scale) throws IOException {
        StringBuilder lines = new StringBuilder("{\"meta\": {\"model\": \"llama-3.1-8b\", \"block_size\": 16}}\n");
        for (int k = 0; k < 40; k++) {
            double ttft = simulated == null ? 50 : simulated.get(k)[0] * scale;
            double gap = simulated == null ? 10 : simulated.get(k)[1] * scale;
            StringBuilder gaps = new StringBuilder();
            for (int g = 0; g < 19; g++) {
                gaps.append(g == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", gap));
            }
            lines.append(String.format(Locale.ROOT, "{\"prompt_tokens\": 56, \"output_tokens\": 20, "
                    + "\"ttft_ms\": %.6f, \"itl_ms\": [%s], \"arrival_ms\": %d, \"block_hashes\": [1, %d, %d], "
                    + "\"finish_reason\": \"length\"}%n", ttft, gaps, k * 250, 100 + k % 2, 1000 + k));
        }
        return Files.writeString(file, lines);
    }

    /** The replayed requests' TTFT and mean gap in ms, in arrival order. */
    private static List<double[]> simulated(Path replay) throws IOException {
        List<String> lines = Files.readAllLines(replay.resolve("requests.csv"), StandardCharsets.UTF_8);
        List<String> header = CsvLine.split(lines.get(0));
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = CsvLine.split(line);
            rows.add(new double[] {Double.parseDouble(fields.get(header.indexOf("ttft_ms"))),
                Double.parseDouble(fields.get(header.indexOf("tpot_ms"))),
                Double.parseDouble(fields.get(header.indexOf("arrival_s")))});
        }
        rows.sort((a, b) -> Double.compare(a[2], b[2]));
        return rows;
    }

    @Test
    void aTraceMeasuredAsTheSimulatorRunsItHasNoErrorAndOneTwiceAsSlowHalf(@TempDir Path folder) throws IOException {
        Path config = Files.writeString(folder.resolve("config.yaml"), CONFIG);
        TraceFidelity fidelity = new TraceFidelity(REGISTRY);
        TraceFidelity.Result first = fidelity.run(trace(folder.resolve("placeholder.jsonl"), null, 1), config,
                List.of(), folder.resolve("first"));
        assertThat(first.measuredRequests()).isEqualTo(40);
        assertThat(first.simulatedRequests()).isEqualTo(40);
        List<double[]> simulated = simulated(first.replay());

        TraceFidelity.Result same = fidelity.run(trace(folder.resolve("same.jsonl"), simulated, 1), config,
                List.of(), folder.resolve("same"));
        TraceFidelity.Result slower = fidelity.run(trace(folder.resolve("slower.jsonl"), simulated, 2), config,
                List.of(), folder.resolve("slower"));

        assertThat(same.compared()).isEqualTo(40);
        // requests.csv keeps 3 decimals of a millisecond, and a measured E2E adds 19 rounded gaps: within 0.01%
        for (TraceFidelity.Row row : same.rows()) {
            assertThat(row.medianApe()).as("%s APE of the medians", row.metric()).isCloseTo(0, within(0.01));
            assertThat(row.medianRequestApe()).as("%s median per-request APE", row.metric())
                    .isCloseTo(0, within(0.01));
        }
        // measured twice the simulated figures: the simulator is 50% below
        for (TraceFidelity.Row row : slower.rows()) {
            assertThat(row.medianApe()).as("%s APE of the medians", row.metric()).isCloseTo(50, within(0.01));
            assertThat(row.meanApe()).as("%s APE of the means", row.metric()).isCloseTo(50, within(0.01));
        }
        assertThat(same.runApe()).as("the run's median of 7 APEs").isCloseTo(0, within(0.01));
        assertThat(slower.runApe()).isCloseTo(50, within(0.01));
        assertThat(folder.resolve("slower").resolve(TraceFidelity.JSON_FILE)).content()
                .contains("\"metric\" : \"ttft_ms\"").contains("\"ape_p50\"").contains("\"run_ape\" : ");
        assertThat(TraceFidelity.table(slower)).contains("40 measured requests, 40 simulated, 40 compared")
                .contains("ttft_ms").contains("50.0%").contains("run APE 50.0%");
    }

    @Test
    void aRequestTheReplayRejectsIsLeftOutAndTheOthersStayPaired(@TempDir Path folder) throws IOException {
        Path config = TestingTraces.config(folder);
        List<TestingTraces.Request> requests = new ArrayList<>(TestingTraces.steady(12));
        // longer than the context limit: the engine rejects it
        requests.set(4, new TestingTraces.Request(requests.get(4).arrivalMs(), 3000, 40));
        List<String> shortContext = List.of("framework.max_model_len=2048");
        Path trace = TestingTraces.measured(folder.resolve("trace.jsonl"), requests, config, StepTimeTerm.builtIn(),
                shortContext);

        TraceFidelity.Result result = new TraceFidelity(REGISTRY).run(trace, config, shortContext,
                folder.resolve("out"));

        assertThat(result.measuredRequests()).isEqualTo(12);
        assertThat(result.simulatedRequests()).isEqualTo(11);
        assertThat(result.compared()).isEqualTo(11);
        for (TraceFidelity.Row row : result.rows()) {
            assertThat(row.medianRequestApe()).as(row.metric()).isCloseTo(0, within(0.01));
        }
    }

    @Test
    void aBadLineIsNamed(@TempDir Path folder) throws IOException {
        Path config = Files.writeString(folder.resolve("config.yaml"), CONFIG);
        Path trace = Files.writeString(folder.resolve("bad.jsonl"),
                "{\"prompt_tokens\": 10, \"output_tokens\": 2, \"ttft_ms\": 5, \"itl_ms\": [1], \"arrival_ms\": 0}\n"
                        + "{\"prompt_tokens\": 10, \"output_tokens\": 2, \"ttft_ms\": \"soon\", \"arrival_ms\": 5}\n");

        assertThatThrownBy(() -> new TraceFidelity(REGISTRY).run(trace, config, List.of(), folder.resolve("out")))
                .isInstanceOf(ServesimException.class)
                .hasMessage(trace + ":2: ttft_ms: expected a non-negative number, got \"soon\"");
    }
}
