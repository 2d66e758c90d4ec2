package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.workload.config.TraceConfig;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace source streams: it holds one line of look-ahead however long the trace is. */
class TraceSourceScaleTest {

    @TempDir
    Path folder;

    @Test
    void aMillionRequestsStreamWithOneEventOfLookAhead() throws Exception {
        Path file = folder.resolve("large.jsonl");
        int lines = 1_000_000;
        long promptTokens = 0;
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                promptTokens += 600 + i % 7;
                writer.write("{\"timestamp\": " + i / 10 + ", \"input_length\": " + (600 + i % 7)
                        + ", \"output_length\": 3, \"hash_ids\": [" + i % 50 + ", " + (1000 + i) + "]}\n");
            }
        }
        TestingServingContext[] holder = new TestingServingContext[1];
        long[] pending = new long[1];
        TestingServingContext context = new TestingServingContext(1, Integer.MAX_VALUE, Double.NaN, 0, false)
                .onSubmit(request -> pending[0] = Math.max(pending[0], holder[0].simulation().pendingEvents()));
        holder[0] = context;
        TraceSource source = new TraceSource(new TraceConfig(file.toString(), null, null, null, null, null, null,
                null, null, null, null, null), context);
        context.run(source);
        assertThat(context.count()).isEqualTo(lines);
        assertThat(pending[0]).isLessThanOrEqualTo(1);
        assertThat(source.counters()).containsEntry("requests", (long) lines)
                .containsEntry("prompt_tokens", promptTokens);
    }

    /** Sessions of four turns; every session's first turns come before any second turn. */
    private Path sessions(int count) throws Exception {
        Path file = folder.resolve("sessions-" + count + ".jsonl");
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            int time = 0;
            for (int turn = 0; turn < 4; turn++) {
                for (int session = 0; session < count; session++) {
                    StringBuilder ids = new StringBuilder();
                    int base = session * 1000;
                    for (int block = 0; block <= turn; block++) {
                        ids.append(base + block).append(", ");
                    }
                    ids.append(base + 100 + turn);
                    writer.write("{\"timestamp\": " + time++ + ", \"input_length\": " + ((turn + 1) * 512 + 100)
                            + ", \"output_length\": 5, \"hash_ids\": [" + ids + "]}\n");
                }
            }
        }
        return file;
    }

    private static TraceSource replaySessions(Path file, int maxOpenSessions) {
        TestingServingContext context = new TestingServingContext(1, Integer.MAX_VALUE, 0.5, 0.01, false);
        TraceSource source = new TraceSource(new TraceConfig(file.toString(), null, null, null, null, null, null,
                true, maxOpenSessions, null, null, null), context);
        context.run(source);
        return source;
    }

    @Test
    void openSessionsAreBounded() throws Exception {
        Path file = sessions(2000);
        assertThat(replaySessions(file, 2000).counters()).containsEntry("sessions", 2000L)
                .containsEntry("follow_up_turns", 6000L).containsEntry("forgotten_sessions", 0L);
        // with room for 500 sessions, the first turns of most sessions are forgotten before their second turns
        TraceSource bounded = replaySessions(file, 500);
        assertThat(bounded.counters().get("forgotten_sessions")).isPositive();
        assertThat(bounded.counters().get("follow_up_turns")).isLessThan(6000L);
        assertThat(bounded.counters().get("requests")).isEqualTo(8000L);
    }
}
