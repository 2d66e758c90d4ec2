package dev.servesim.testing.conformance;

import static dev.servesim.testing.conformance.Kits.assertEveryRequestEnded;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a metric sink, checked in real runs of the vLLM engine: extend this class in your plugin's tests
 * and return your sink's entry of the {@code sinks} list.
 *
 * <p>A monitor checks what the runner tells the sink: {@code onRunStarted} first, every request record in the order
 * the requests ended, then {@code onRunFinished} and {@code close} once each. The kit checks that the sink got every
 * request and step the run had, that it writes the same files for the same seed (byte for byte, apart from the
 * summary's wall-clock figures {@code wall_seconds} and {@code simulated_over_wall}), and that a run
 * stopped early still finishes and closes it, with the summary marked partial.
 */
public abstract class MetricSinkConformance {

    private static final Pattern WALL_CLOCK = Pattern.compile(
            "(\\\\?\"(?:wall_seconds|simulated_over_wall|wallSeconds|simulatedOverWall)\\\\?\"\\s*[:=]\\s*)[-0-9.eE+]+");

    /** For subclasses. */
    protected MetricSinkConformance() {}

    /** The sink's entry of the configuration's {@code sinks} list, e.g. {@code {name: my-sink}}. */
    protected abstract String sinkSection();

    @Test
    public void getsEveryRequestAndStepOfTheRun(@TempDir Path folder) {
        Outcome outcome = ConformanceRun.run(folder, "run", config(1, Kits.conversations(4, 10)));

        assertEveryRequestEnded(outcome);
        CheckedMetricSink sink = sinkUnderTest(outcome);
        assertThat(sink.requests()).as("request records the sink got").isEqualTo(outcome.records().size());
        assertThat(sink.steps()).as("steps the sink got").isEqualTo(outcome.steps().size());
        assertThat(sink.finished()).as("onRunFinished() called").isTrue();
        assertThat(sink.closed()).as("close() called").isTrue();
        assertThat(sink.summary()).as("summary the sink got").isEqualTo(outcome.summary());
    }

    @Test
    public void writesTheSameFilesForTheSameSeed(@TempDir Path folder) throws IOException {
        String yaml = config(2, Kits.conversations(4, 10));
        // both runs write into the same folder, since files may name it
        Outcome first = ConformanceRun.run(folder, "run", yaml);
        Path kept = Files.move(first.output(), folder.resolve("first"));
        Outcome second = ConformanceRun.run(folder, "run", yaml);

        List<Path> files = files(kept);
        assertThat(files(second.output())).as("files of a second run with the same seed").isEqualTo(files);
        for (Path file : files) {
            assertThat(comparable(second.output().resolve(file))).as("%s of a second run with the same seed", file)
                    .isEqualTo(comparable(kept.resolve(file)));
        }
    }

    /**
     * A file's text with the summary's wall-clock figures zeroed, the only ones that may differ between two runs
     * (also when embedded as escaped JSON, as in an HTML report).
     */
    private static String comparable(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        return WALL_CLOCK.matcher(text).replaceAll(match -> match.group(1) + "0");
    }

    @Test
    public void isFinishedAndClosedWhenTheRunStopsEarly(@TempDir Path folder) {
        // more requests in flight than the run allows: it stops with a configuration error after writing results
        String yaml = "max_in_flight: 5\n" + config(3, Kits.conversations(40, 5));
        ConformanceRun.Stopped stopped = ConformanceRun.runUntilItFails(folder, "stopped", yaml);

        assertThat(stopped.failure()).hasMessageContaining("max_in_flight");
        assertThat(stopped.checks().sinks()).as("sinks created besides the kit's recorder").hasSize(1);
        CheckedMetricSink sink = stopped.checks().sinks().get(0);
        assertThat(sink.finished()).as("onRunFinished() called").isTrue();
        assertThat(sink.closed()).as("close() called").isTrue();
        assertThat(sink.summary().partial()).as("summary marked partial").isTrue();
        assertThat(sink.summary().stopReason()).isEqualTo("over max_in_flight");
    }

    private String config(long seed, String workload) {
        return Kits.config(seed, Kits.ENGINE, Kits.CACHE, null, workload, sinkSection());
    }

    private static CheckedMetricSink sinkUnderTest(Outcome outcome) {
        // the recorder is not wrapped, so the only monitored sink is the one under test
        assertThat(outcome.checks().sinks()).as("sinks created besides the kit's recorder").hasSize(1);
        return outcome.checks().sinks().get(0);
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(folder::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
