package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.request.Request;
import dev.servesim.testing.TestingWorkloadContext;
import dev.servesim.workload.config.TraceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a replay ends: at the end of the file, at the run's horizon, at the trace's {@code end}, or on a bad line. */
class TraceSourceEndTest {

    @TempDir
    Path folder;

    /** A Mooncake trace of {@code count} requests at 0, 1, 2, ... s; line {@code far} (1-based) at {@code 1e300}. */
    private Path trace(int count, int far) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int line = 1; line <= count; line++) {
            text.append("{\"timestamp\": ").append(line == far ? "1e300" : String.valueOf((line - 1) * 1000))
                    .append(", \"input_length\": 600, \"output_length\": 3, \"hash_ids\": [1, ").append(line)
                    .append("]}\n");
        }
        Path file = folder.resolve("trace-" + count + "-" + far + ".jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static TraceConfig config(Path file, Double speedup, Double end, Boolean skipBadLines,
            Integer maxConcurrency) {
        return new TraceConfig(file.toString(), null, speedup, null, end, null, null, null, null, maxConcurrency,
                skipBadLines, null);
    }

    private static Map<String, Long> replay(TraceConfig config, double horizon, TestingWorkloadContext context) {
        TraceSource source = new TraceSource(config, context);
        source.start();
        context.simulation().run(horizon);
        return source.counters();
    }

    @Test
    void aTraceReplayedToItsLastLineStoppedNowhere() throws Exception {
        TestingWorkloadContext context = new TestingWorkloadContext(1);
        Map<String, Long> counters = replay(config(trace(40, 0), null, null, null, null), Double.MAX_VALUE, context);
        assertThat(counters).containsEntry("requests", 40L).containsEntry("stopped_at_line", 0L);
    }

    /**
     * Issue 14, finding "with a horizon the same file silently replays 10 of 40 lines with exit 0": the run ends at its
     * horizon with the trace unfinished, and the source says at which line.
     */
    @Test
    void aRunThatEndsAtItsHorizonReportsTheLineItStoppedAt() throws Exception {
        TestingWorkloadContext context = new TestingWorkloadContext(1);
        Map<String, Long> counters = replay(config(trace(40, 0), null, null, null, null), 9.5, context);
        assertThat(context.submitted()).hasSize(10);
        assertThat(counters).containsEntry("requests", 10L).containsEntry("stopped_at_line", 11L);

        // the finding's file: line 11 at 1e300 is a bad line, which stops the run or is skipped and counted
        Path far = trace(40, 11);
        assertThatThrownBy(() -> replay(config(far, null, null, null, null), 20, new TestingWorkloadContext(1)))
                .hasMessageStartingWith(far + ":11: field 'timestamp': arrives at 1.0E297 s of trace time");
        TestingWorkloadContext skipping = new TestingWorkloadContext(1);
        assertThat(replay(config(far, null, null, true, null), 20, skipping))
                .containsEntry("skipped_lines", 1L).containsEntry("requests", 20L).containsEntry("stopped_at_line", 22L);
        assertThat(skipping.submitted()).extracting(Request::arrivalTime).allSatisfy(t -> assertThat(t).isLessThan(21));
    }

    @Test
    void theTraceEndIsReportedAsWhereTheReplayStopped() throws Exception {
        TestingWorkloadContext context = new TestingWorkloadContext(1);
        Map<String, Long> counters = replay(config(trace(40, 0), 2.0, 12.0, null, null), Double.MAX_VALUE, context);
        assertThat(context.submitted()).hasSize(12);
        assertThat(context.submitted().get(11).arrivalTime()).isEqualTo(5.5);
        assertThat(counters).containsEntry("requests", 12L).containsEntry("stopped_at_line", 13L);
    }

    @Test
    void fixedConcurrencyReadsOneRequestAheadToo() throws Exception {
        // each request takes 1 s: 2 at a time, 6 are sent by 2.5 s, and the seventh is read but not sent
        TestingServingContext context = TestingServingContext.serving(1, Integer.MAX_VALUE, 1.0, 0);
        TraceSource source = new TraceSource(config(trace(40, 0), null, null, null, 2), context);
        context.run(source, 2.5);
        assertThat(context.submitted()).extracting(Request::id).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(source.counters()).containsEntry("requests", 6L).containsEntry("stopped_at_line", 7L);

        TestingServingContext drained = TestingServingContext.serving(1, Integer.MAX_VALUE, 1.0, 0);
        TraceSource all = new TraceSource(config(trace(40, 0), null, null, null, 2), drained);
        drained.run(all);
        assertThat(drained.submitted()).extracting(Request::id).startsWith(0L, 1L, 2L).hasSize(40);
        assertThat(all.counters()).containsEntry("requests", 40L).containsEntry("stopped_at_line", 0L);
    }

    @Test
    void aSpeedupBelowOneCannotStretchArrivalsPastTheLimit() throws Exception {
        // trace time 39 s at speedup 1e-8 would arrive after 3.9e9 s of simulated time
        Path file = trace(40, 0);
        assertThatThrownBy(() -> replay(config(file, 1e-8, null, null, null), Double.MAX_VALUE,
                new TestingWorkloadContext(1)))
                .hasMessageStartingWith(file + ":12: field 'timestamp': arrives at 11.0 s of trace time, which start "
                        + "0.0 s and speedup 1.0E-8 put at 1.1E9 s, later than the 1e9 s (about 31.7 years)");
    }
}
