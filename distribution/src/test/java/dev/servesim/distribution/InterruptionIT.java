package dev.servesim.distribution;

import static dev.servesim.distribution.PackagedDistribution.await;
import static dev.servesim.distribution.PackagedDistribution.log;
import static dev.servesim.distribution.PackagedDistribution.start;
import static dev.servesim.distribution.PackagedDistribution.stop;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signal ends a run or its hold as documented: the console summary is printed whole (output piped, as here), the
 * files are complete and marked partial, and nothing half-written is left.
 */
class InterruptionIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    // about 2 million requests: minutes of wall time, so the signal always arrives mid-run
    private static final String LONG_RUN = """
            name: long
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            workload: {source: poisson, rate: 20, duration: 100000, prompt_tokens: 512, output_tokens: 64}
            sinks: [json, csv]
            """;

    @TempDir
    static Path home;

    static Path servesim;

    @BeforeAll
    static void unzip() throws Exception {
        servesim = PackagedDistribution.unzip(home).resolve("bin/servesim");
    }

    /** Issue 14, finding 5: after a signal, 5 of 6 piped runs printed no summary (the JVM ended while it printed). */
    @Test
    void aSignalledRunStillPrintsItsWholeSummaryAndMarksItsFilesPartial() throws Exception {
        Path work = Files.createTempDirectory(home, "interrupted");
        Files.writeString(work.resolve("long.yaml"), LONG_RUN);
        Process run = start(work, "run", List.of(servesim.toString(), "run", "long.yaml", "--out", "results"));
        // requests.csv.tmp appears once the sinks have started, that is once the simulation runs
        await(run, work, "run", "the run to start", TIMEOUT, () -> Files.exists(work.resolve("results/requests.csv.tmp")));

        int exitCode = stop(run);

        String out = Files.readString(work.resolve("run.out"));
        assertThat(exitCode).as(log(work, "run")).isEqualTo(143);
        assertThat(out).as(log(work, "run")).contains("servesim run 'long'", "requests   arrived", "throughput",
                "prefix cache disabled");
        JsonNode summary = new ObjectMapper().readTree(work.resolve("results/summary.json").toFile());
        assertThat(summary.at("/partial").asBoolean()).isTrue();
        assertThat(Files.readAllLines(work.resolve("results/requests.csv")))
                .hasSize(1 + summary.at("/requests/arrived").asInt());
        try (Stream<Path> files = Files.list(work.resolve("results"))) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("config.resolved.yaml", "summary.json", "requests.csv");
        }
    }

    /**
     * Issue 14, finding 9: during {@code --hold} the progress line repeated stale figures every 10 s after the summary.
     * The hold lasts longer than one progress period here, so a reporter still running would print at least once.
     */
    @Test
    void theProgressLineStopsWhenTheHoldStarts() throws Exception {
        Path work = Files.createTempDirectory(home, "hold");
        Files.writeString(work.resolve("short.yaml"), LONG_RUN.replace("duration: 100000", "duration: 5"));
        Process run = start(work, "hold", List.of(servesim.toString(), "run", "short.yaml", "--out", "results",
                "--hold"));
        await(run, work, "hold", "the hold", TIMEOUT, () -> Files.readString(work.resolve("hold.err"))
                .contains("holding sinks open"));
        assertThat(run.waitFor(11, TimeUnit.SECONDS)).as("the hold ends only with a signal").isFalse();

        int exitCode = stop(run);

        String err = Files.readString(work.resolve("hold.err"));
        assertThat(exitCode).as(err).isIn(0, 143);
        assertThat(err.substring(err.indexOf("holding sinks open"))).doesNotContain("requests done");
        assertThat(Files.readString(work.resolve("hold.out"))).contains("servesim run 'long'", "throughput");
    }
}
