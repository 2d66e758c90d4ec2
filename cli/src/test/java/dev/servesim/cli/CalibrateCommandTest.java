package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servesim calibrate --traces}: its errors, and a calibration whose file the engine then reads. */
class CalibrateCommandTest {

    private static final String CONFIG = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, num_gpu_blocks: 4096}
            cache: {strategy: block-hash}
            workload: {source: poisson, rate: 1, duration: 1}
            """;

    /**
     * A vllm-vcr trace of {@code count} requests 0.2 s apart, measured at a TTFT of 40 ms and gaps of 9 ms: what a
     * server a little slower than the shipped coefficients would give.
     */
    private static Path trace(Path file, int count) throws IOException {
        StringBuilder lines = new StringBuilder("{\"meta\": {\"model\": \"llama-3.1-8b\", \"block_size\": 16}}\n");
        for (int k = 0; k < count; k++) {
            lines.append(String.format(Locale.ROOT, "{\"prompt_tokens\": %d, \"output_tokens\": 4, \"ttft_ms\": 40.0,"
                    + " \"itl_ms\": [9.0, 9.0, 9.0], \"arrival_ms\": %d, \"block_hashes\": [1, %d],"
                    + " \"finish_reason\": \"length\"}%n", 40 + 7 * k, 200 * k, 100 + k));
        }
        return Files.writeString(file, lines);
    }

    private static TestingCommandLine.Result calibrate(Path folder, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 1, args.length);
        all[0] = "calibrate";
        all[all.length - 1] = "--plugins=" + folder.resolve("no-plugins");
        return TestingCommandLine.run(all);
    }

    @Test
    void exactlyOneOfRunsAndTracesIsRequired(@TempDir Path folder) throws IOException {
        Path config = Files.writeString(folder.resolve("config.yaml"), CONFIG);
        Path trace = trace(folder.resolve("trace.jsonl"), 4);
        Path out = folder.resolve("out/fit.properties");

        TestingCommandLine.Result both = calibrate(folder, "--runs", folder.resolve("runs.csv").toString(),
                "--traces", trace.toString(), "--config", config.toString(), "--out", out.toString());
        TestingCommandLine.Result neither = calibrate(folder, "--out", out.toString());
        TestingCommandLine.Result noConfig = calibrate(folder, "--traces", trace.toString(), "--out", out.toString());
        TestingCommandLine.Result runsOption = calibrate(folder, "--traces", trace.toString(), "--config",
                config.toString(), "--bootstrap", "5", "--out", out.toString());
        TestingCommandLine.Result tracesOption = calibrate(folder, "--runs", folder.resolve("runs.csv").toString(),
                "--config", config.toString(), "--out", out.toString());
        TestingCommandLine.Result twice = calibrate(folder, "--traces", trace + "," + trace, "--config",
                config.toString(), "--out", out.toString());

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--runs and --traces are exclusive: give one");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("give --runs RUNS.csv, or --traces TRACE[,TRACE...] with --config CONFIG");
        assertThat(noConfig.exitCode()).isEqualTo(2);
        assertThat(noConfig.err()).contains("--traces needs --config CONFIG");
        assertThat(runsOption.exitCode()).isEqualTo(2);
        assertThat(runsOption.err()).contains("--bootstrap is an option of calibrate --runs");
        assertThat(tracesOption.exitCode()).isEqualTo(2);
        assertThat(tracesOption.err()).contains("--config is an option of calibrate --traces");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("--traces: trace " + trace + " is given twice");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void aMissingTraceOrABadLineIsOneLineNamingItAndNothingIsWritten(@TempDir Path folder) throws IOException {
        Path config = Files.writeString(folder.resolve("config.yaml"), CONFIG);
        Path good = trace(folder.resolve("good.jsonl"), 4);
        Path bad = Files.writeString(folder.resolve("bad.jsonl"), Files.readString(good)
                .replaceFirst("\"itl_ms\": \\[9.0, 9.0, 9.0]", "\"itl_ms\": [9.0, \"late\", 9.0]"));
        Path missing = folder.resolve("missing.jsonl");
        Path out = folder.resolve("out/fit.properties");

        TestingCommandLine.Result absent = calibrate(folder, "--traces", good + "," + missing, "--config",
                config.toString(), "--out", out.toString());
        TestingCommandLine.Result malformed = calibrate(folder, "--traces", good + "," + bad, "--config",
                config.toString(), "--out", out.toString());

        assertThat(absent.exitCode()).isEqualTo(2);
        assertThat(absent.err()).isEqualTo("servesim: --traces: " + missing + ": no such file" + System.lineSeparator());
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).isEqualTo("servesim: " + bad + ":2: itl_ms: expected non-negative numbers"
                + System.lineSeparator());
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void theSameTracesAndSeedGiveTheSameFilesAndTheEngineReadsThem(@TempDir Path folder) throws IOException {
        Path config = Files.writeString(folder.resolve("config.yaml"), CONFIG);
        Path trace = trace(folder.resolve("trace.jsonl"), 12);

        TestingCommandLine.Result first = calibrate(folder, "--traces", trace.toString(), "--config",
                config.toString(), "--out", folder.resolve("one/mine.properties").toString(), "--max-evaluations",
                "10", "--jobs", "1");
        TestingCommandLine.Result second = calibrate(folder, "--traces", trace.toString(), "--config",
                config.toString(), "--out", folder.resolve("two/mine.properties").toString(), "--max-evaluations",
                "10", "--jobs", "2");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(first.out()).contains("calibrate: held out, the second half of the trace's requests",
                "| trace.jsonl (second half) | 6 |", "wrote " + folder.resolve("one/mine.properties"));
        assertThat(Files.readAllBytes(folder.resolve("two/mine.properties")))
                .isEqualTo(Files.readAllBytes(folder.resolve("one/mine.properties")));
        assertThat(Files.readAllBytes(folder.resolve("two/mine-calibration.json")))
                .isEqualTo(Files.readAllBytes(folder.resolve("one/mine-calibration.json")));
        try (var files = Files.list(folder.resolve("one"))) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted())
                    .containsExactly("mine-calibration.json", "mine.properties");
        }

        TestingCommandLine.Result replay = TestingCommandLine.run("fidelity", "--trace", trace.toString(), "--config",
                config.toString(), "--set", "framework.coefficients=" + folder.resolve("one/mine.properties"),
                "--out", folder.resolve("fidelity").toString(), "--plugins=" + folder.resolve("no-plugins"));
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(Files.readString(folder.resolve("fidelity/replay/config.resolved.yaml")))
                .contains(folder.resolve("one/mine.properties").toString());
    }
}
