package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.cli.TestingCommandLine.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EOS model end to end: drawn output lengths, the client's max_tokens, and the finish reasons of the outputs. */
class EosRunTest {

    private static final String RUN = """
            name: eos
            seed: 11
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            workload:
              source: poisson
              rate: 20
              duration: 10
              prompt_tokens: {type: uniform, min: 200, max: 800}
              output_tokens: {type: lognormal, mean: 120, stddev: 80}
            """;

    /** requests.csv: column values by name, one map per row, keyed by request id. */
    private static Map<Long, Map<String, String>> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        assertThat(header[header.length - 1]).isEqualTo("finish_reason");
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            assertThat(fields).hasSameSizeAs(header);
            Map<String, String> row = new TreeMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], fields[i]);
            }
            rows.put(Long.parseLong(row.get("request_id")), row);
        }
        return rows;
    }

    private static Path run(Path folder, String name, String config) throws Exception {
        Path file = Files.writeString(folder.resolve(name + ".yaml"), config);
        Path out = folder.resolve(name);
        Result result = TestingCommandLine.run("run", file.toString(), "--out", out.toString(), "--plugins",
                folder.resolve("none").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        return out;
    }

    @Test
    void requestsBelowTheLimitStopAndTheSummaryCountsMatchRequestsCsv(@TempDir Path folder) throws Exception {
        Path unlimited = run(folder, "unlimited", RUN);
        Path limited = run(folder, "limited", RUN + "  max_tokens: 150\n");

        Map<Long, Map<String, String>> drawn = rows(unlimited.resolve("requests.csv"));
        Map<Long, Map<String, String>> rows = rows(limited.resolve("requests.csv"));
        assertThat(rows.keySet()).isEqualTo(drawn.keySet());
        assertThat(drawn.values()).allSatisfy(row -> assertThat(row.get("finish_reason")).isEqualTo("length"));
        long stop = 0;
        long length = 0;
        for (Map.Entry<Long, Map<String, String>> entry : rows.entrySet()) {
            Map<String, String> row = entry.getValue();
            assertThat(row.get("status")).isEqualTo("completed");
            int drawnLength = Integer.parseInt(drawn.get(entry.getKey()).get("output_tokens"));
            int output = Integer.parseInt(row.get("output_tokens"));
            assertThat(output).isLessThanOrEqualTo(150).isEqualTo(Math.min(drawnLength, 150));
            assertThat(row.get("finish_reason")).isEqualTo(drawnLength < 150 ? "stop" : "length");
            stop += row.get("finish_reason").equals("stop") ? 1 : 0;
            length += row.get("finish_reason").equals("length") ? 1 : 0;
        }
        assertThat(stop).isPositive();
        assertThat(length).isPositive();

        JsonNode summary = new ObjectMapper().readTree(limited.resolve("summary.json").toFile());
        assertThat(summary.at("/requests/finished_by_reason/stop").asLong()).isEqualTo(stop);
        assertThat(summary.at("/requests/finished_by_reason/length").asLong()).isEqualTo(length);
        assertThat(summary.at("/requests/completed").asLong()).isEqualTo(stop + length);
        JsonNode before = new ObjectMapper().readTree(unlimited.resolve("summary.json").toFile());
        assertThat(before.at("/requests/finished_by_reason/stop").asLong()).isZero();
        assertThat(before.at("/requests/finished_by_reason/length").asLong())
                .isEqualTo(before.at("/requests/completed").asLong());

        // same seed, same configuration: byte-identical outputs
        Path again = run(folder, "again", RUN + "  max_tokens: 150\n");
        assertThat(Files.readAllBytes(again.resolve("requests.csv")))
                .isEqualTo(Files.readAllBytes(limited.resolve("requests.csv")));
    }

    @Test
    void theConsoleSummaryCountsFinishReasonsOnlyWhenARequestStopped(@TempDir Path folder) throws Exception {
        Path limited = Files.writeString(folder.resolve("limited.yaml"), RUN + "  max_tokens: 150\n");
        Result stopped = TestingCommandLine.run("run", limited.toString(), "--out", folder.resolve("a").toString(),
                "--plugins", folder.resolve("none").toString());
        assertThat(stopped.out()).containsPattern("finished   \\d+ stop, \\d+ length");
        Path unlimited = Files.writeString(folder.resolve("unlimited.yaml"), RUN);
        Result plain = TestingCommandLine.run("run", unlimited.toString(), "--out", folder.resolve("b").toString(),
                "--plugins", folder.resolve("none").toString());
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).doesNotContainPattern("finished +\\d+ stop").contains("completed 198");
    }

    @Test
    void aBadLimitOrDistributionIsAOneLineConfigurationErrorNamingTheKey(@TempDir Path folder) throws Exception {
        Path zero = Files.writeString(folder.resolve("zero.yaml"), RUN + "  max_tokens: 0\n");
        Result result = TestingCommandLine.run("validate", zero.toString());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("workload.max_tokens").contains("must be positive, got 0");

        Path bad = Files.writeString(folder.resolve("bad.yaml"), RUN.replace("stddev: 80", "sigma: 80"));
        result = TestingCommandLine.run("validate", bad.toString());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("workload.output_tokens");
    }
}
