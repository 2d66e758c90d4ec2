package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.request.Request;
import dev.servesim.testing.TestingWorkloadContext;
import dev.servesim.workload.config.TraceConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The example traces of examples/traces, checked as {@code servesim validate} does and replayed. */
class TraceExamplesTest {

    private static final Path EXAMPLES = Path.of("../examples/traces");

    private static TraceConfig config(String file, boolean sessions) {
        return new TraceConfig(EXAMPLES.resolve(file).toString(), null, null, null, null, null, null, sessions, null,
                null, null, null);
    }

    @ParameterizedTest
    @CsvSource({"vcr.jsonl, 22, 0", "bailian.jsonl, 20, 0", "openai-log.jsonl, 24, 0", "sharegpt.json, 21, 0",
        "vllm-bench.json, 29, 1"})
    void everyExampleIsCheckedAndReplayed(String file, long requests, long empty) {
        // servesim validate: the component is created (the trace opened and its start read), then closed
        TestingWorkloadContext checked = new TestingWorkloadContext(1);
        new TraceSource(config(file, false), checked).close();
        assertThat(checked.submitted()).isEmpty();

        for (boolean sessions : new boolean[] {false, true}) {
            TestingServingContext context = TestingServingContext.serving(1, Integer.MAX_VALUE, 0.5, 0.01);
            TraceSource source = new TraceSource(config(file, sessions), context);
            context.run(source);
            Map<String, Long> counters = source.counters();
            assertThat(counters).containsEntry("requests", requests).containsEntry("skipped_empty_requests", empty)
                    .containsEntry("skipped_lines", 0L).containsEntry("stopped_at_line", 0L);
            assertThat(context.records()).hasSize((int) requests);
        }
    }

    @Test
    void shareGptTurnsFollowEachOtherWithReplaySessions() {
        TestingServingContext context = TestingServingContext.serving(1, Integer.MAX_VALUE, 0.5, 0.01);
        TraceSource source = new TraceSource(config("sharegpt.json", true), context);
        context.run(source);
        List<Request> first = context.submitted().stream().filter(request -> request.sessionId() == 0).toList();
        assertThat(first).extracting(Request::turn).containsExactly(1, 2);
        // turn 2 goes when turn 1 is done: 0.5 s to the first token, 111 gaps of 0.01 s
        assertThat(first.get(1).arrivalTime() - first.get(0).arrivalTime()).isEqualTo(0.5 + 111 * 0.01,
                within(1e-9));
        assertThat(source.counters()).containsEntry("sessions", 10L).containsEntry("follow_up_turns", 11L);
    }
}
