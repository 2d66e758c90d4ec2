package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.config.ConfigMappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a run ends when it cannot end normally (issue 14): its results appear whole and marked partial with the reason,
 * or not at all; no temporary file is left; idle simulated time costs no events.
 */
class RunEndingsTest {

    private static final String FOUR_REQUESTS = """
            name: four
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            workload: {source: scripted, arrivals: [0.0, 0.05, 1.0, 2.0], output_tokens: 3}
            """;

    /** Finding 2: a bad trace line mid-run left requests.csv.tmp and no summary.json. */
    @Test
    void aComponentFailingMidRunLeavesPartialResultsMarkedWithTheReason(@TempDir Path out) throws Exception {
        ServesimException failure = catchThrowableOfType(ServesimException.class, () -> SimulationRunner.run(
                TestingConfigs.load(FOUR_REQUESTS, "workload.fail_at=1.5"), out, new RunControl()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(failure.getMessage()).startsWith("arrivals: scripted failure at 1.5 s")
                .endsWith("; the results until then are in " + out + ", marked partial").doesNotContain("\n");
        JsonNode summary = ConfigMappers.json().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/partial").asBoolean()).isTrue();
        assertThat(summary.at("/stop_reason").asText()).isEqualTo("failed: arrivals: scripted failure at 1.5 s");
        assertThat(summary.at("/requests/arrived").asInt()).isEqualTo(3);
        assertThat(summary.at("/requests/completed").asInt()).isEqualTo(3);
        assertThat(Files.readAllLines(out.resolve("requests.csv"))).hasSize(4);
        assertThat(files(out)).containsExactly("config.resolved.yaml", "report.html", "requests.csv", "summary.json");
    }

    @Test
    void aPluginBugMidRunIsReportedAsThePluginsFailureAfterThePartialResults(@TempDir Path out) throws Exception {
        ServesimException failure = catchThrowableOfType(ServesimException.class, () -> SimulationRunner.run(
                TestingConfigs.load(FOUR_REQUESTS, "workload.fail_at=1.5", "workload.failure=bug"), out,
                new RunControl()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.PLUGIN);
        assertThat(failure.getMessage()).contains("java.lang.IllegalStateException: scripted bug", "marked partial");
        assertThat(ConfigMappers.json().readTree(out.resolve("summary.json").toFile()).at("/stop_reason").asText())
                .isEqualTo("failed: scripted bug");
        assertThat(files(out)).noneMatch(name -> name.endsWith(".tmp"));
    }

    /** Finding 3: memory exhaustion ended with a raw OutOfMemoryError stack trace and no summary. */
    @Test
    void runningOutOfMemoryEndsWithOneLineAndThePartialResults(@TempDir Path out) throws Exception {
        ServesimException failure = catchThrowableOfType(ServesimException.class, () -> SimulationRunner.run(
                TestingConfigs.load(FOUR_REQUESTS, "workload.fail_at=1.5", "workload.failure=memory"), out,
                new RunControl()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.RESOURCE);
        assertThat(failure.getMessage()).startsWith("out of memory at 1.500 simulated seconds with 0 requests in "
                + "flight").contains("SERVESIM_JAVA_OPTS=-Xmx").doesNotContain("\n");
        JsonNode summary = ConfigMappers.json().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/stop_reason").asText()).isEqualTo("out of memory");
        assertThat(files(out)).noneMatch(name -> name.endsWith(".tmp"));
    }

    /** Finding 3: a rate of 1e18 grew the heap to 6 GB; now the run stops at max_in_flight. */
    @Test
    void tooManyRequestsInFlightStopTheRunWithAConfigurationError(@TempDir Path out) throws Exception {
        String burst = """
                name: burst
                max_in_flight: 5
                framework: {name: serial, ttft: 0.1, itl: 0.01}
                workload: {source: scripted, arrivals: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], output_tokens: 3}
                """;
        ServesimException failure = catchThrowableOfType(ServesimException.class,
                () -> SimulationRunner.run(TestingConfigs.load(burst), out, new RunControl()));

        assertThat(failure.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(failure.getMessage()).startsWith("max_in_flight: more than 5 requests in flight at 0.000 "
                + "simulated seconds");
        JsonNode summary = ConfigMappers.json().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/partial").asBoolean()).isTrue();
        assertThat(summary.at("/stop_reason").asText()).isEqualTo("over max_in_flight");
        assertThat(summary.at("/requests/arrived").asInt()).isEqualTo(6);
        assertThat(summary.at("/requests/unfinished").asInt()).isEqualTo(6);
    }

    @Test
    void aRunThatFailsBeforeItsFirstEventLeavesNoOutputFolder(@TempDir Path folder) {
        Path out = folder.resolve("never");

        ServesimException failure = catchThrowableOfType(ServesimException.class, () -> SimulationRunner.run(
                TestingConfigs.load(FOUR_REQUESTS, "workload.fail_at=0", "workload.failure=start"), out,
                new RunControl()));

        assertThat(failure.getMessage()).isEqualTo("arrivals: refused at the start");
        assertThat(out).doesNotExist();
    }

    /**
     * Finding 4: the clock ticked every snapshot interval with nothing in flight, so an arrival 1e300 s away ran
     * forever. Idle time now costs no events: two requests 10 million seconds apart take a few dozen events.
     */
    @Test
    void idleSimulatedTimeCostsNoEvents(@TempDir Path out) {
        RunResult result = SimulationRunner.run(TestingConfigs.load("""
                name: idle
                framework: {name: serial, ttft: 0.1, itl: 0.01}
                workload: {source: scripted, arrivals: [0.0, 1.0e7], output_tokens: 3}
                """), out, new RunControl());

        assertThat(result.summary().requests().completed()).isEqualTo(2);
        assertThat(result.summary().simulatedSeconds()).isEqualTo(1.0e7 + 0.12);
        assertThat(result.eventsProcessed()).isLessThan(50);
    }

    @Test
    void intervalsShorterThanAMillisecondAreRefused() {
        assertThatThrownBy(() -> TestingConfigs.load(FOUR_REQUESTS, "snapshot_interval=1e-9"))
                .hasMessageContaining("snapshot_interval: must be at least 0.001 s");
        assertThatThrownBy(() -> TestingConfigs.load(FOUR_REQUESTS, "cluster.report_interval=1e-12"))
                .hasMessageContaining("cluster.report_interval: must be at least 0.001 s");
        assertThatThrownBy(() -> TestingConfigs.load(FOUR_REQUESTS, "horizon=1e300"))
                .hasMessageContaining("horizon: must be at most 1.0E9 s");
    }

    private static List<String> files(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
