package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.request.Request;
import dev.servesim.workload.config.TraceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session-paced replay of vllm-vcr traces: parents found from the hash chains and think gaps as vllm-vcr's
 * {@code --replay-sessions} has them (its docs, "Replay"), worked out by hand.
 */
class TraceParentsTest {

    @TempDir
    Path folder;

    @Test
    void childrenWaitForTheirParentThenTheRecordedThinkGap() throws Exception {
        // block_size 4; recorded finishes: A 0 + 0.1 + 0.1 = 0.2 s, D 1.2 + 0.1 = 1.3 s (written in finish order)
        Path file = Files.writeString(folder.resolve("s.jsonl"), """
                {"meta": {"block_size": 4}}
                {"arrival_ms": 0, "prompt_tokens": 9, "output_tokens": 3, "ttft_ms": 100, "itl_ms": [50, 50],\
                 "block_hashes": [1, 2], "finish_reason": "stop"}
                {"arrival_ms": 500, "prompt_tokens": 12, "output_tokens": 2, "ttft_ms": 10, "itl_ms": [5],\
                 "block_hashes": [1, 2, 9], "finish_reason": "stop"}
                {"arrival_ms": 1000, "prompt_tokens": 12, "output_tokens": 2, "ttft_ms": 10, "itl_ms": [5],\
                 "block_hashes": [1, 2, 3], "finish_reason": "stop"}
                {"arrival_ms": 1200, "prompt_tokens": 8, "output_tokens": 1, "ttft_ms": 100,\
                 "block_hashes": [1, 2], "finish_reason": "stop"}
                {"arrival_ms": 3000, "prompt_tokens": 12, "output_tokens": 1, "ttft_ms": 10,\
                 "block_hashes": [1, 2, 5], "finish_reason": "stop"}
                {"arrival_ms": 4000, "prompt_tokens": 3, "output_tokens": 1, "ttft_ms": 10, "finish_reason": "stop"}
                """);
        // every request completes 2 s after it is sent
        TestingServingContext context = TestingServingContext.serving(1, Integer.MAX_VALUE, 2.0, 0);
        TraceSource source = new TraceSource(new TraceConfig(file.toString(), null, null, null, null, null, null, true,
                null, null, null, null), context);
        context.run(source);
        List<Request> sent = context.submitted().stream().sorted(Comparator.comparingLong(Request::id)).toList();
        // ids in arrival order: A 0, C 1 (child of A), B 2 (child of A), D 3 (same chain as A: not a proper prefix,
        // a root), E 4 (child of D, the newest record ending with hash 2), F 5 (no hashes: a root)
        assertThat(sent).extracting(Request::id, Request::sessionId, Request::turn).containsExactly(
                tuple(0L, 0L, 1), tuple(1L, 0L, 2), tuple(2L, 0L, 2), tuple(3L, 3L, 1), tuple(4L, 3L, 2),
                tuple(5L, 5L, 1));
        // A done at 2.0: C after its gap 0.5 - 0.2 = 0.3, B after 1.0 - 0.2 = 0.8; D sent at 1.2 and done at 3.2,
        // E after 3.0 - 1.3 = 1.7; F at its recorded time
        assertThat(sent.get(0).arrivalTime()).isZero();
        assertThat(sent.get(1).arrivalTime()).isCloseTo(2.3, within(1e-9));
        assertThat(sent.get(2).arrivalTime()).isCloseTo(2.8, within(1e-9));
        assertThat(sent.get(3).arrivalTime()).isCloseTo(1.2, within(1e-9));
        assertThat(sent.get(4).arrivalTime()).isCloseTo(4.9, within(1e-9));
        assertThat(sent.get(5).arrivalTime()).isCloseTo(4.0, within(1e-9));
        Map<String, Long> counters = source.counters();
        assertThat(counters).containsEntry("sessions", 3L).containsEntry("follow_up_turns", 3L)
                .containsEntry("requests", 6L);
        // A's first two blocks are C's and B's: the prompts share them
        assertThat(sent.get(1).prompt().segments().subList(0, 2)).isEqualTo(sent.get(0).prompt().segments()
                .subList(0, 2));
    }

    @Test
    void aChildGoesItsThinkGapAfterItsParentsReplayedFinish() throws Exception {
        Path file = Files.writeString(folder.resolve("late.jsonl"), """
                {"arrival_ms": 0, "prompt_tokens": 32, "output_tokens": 1, "ttft_ms": 100, "block_hashes": [7, 8]}
                {"arrival_ms": 9000, "prompt_tokens": 48, "output_tokens": 1, "ttft_ms": 100,\
                 "block_hashes": [7, 8, 9]}
                """);
        TestingServingContext context = TestingServingContext.serving(1, Integer.MAX_VALUE, 2.0, 0);
        context.run(new TraceSource(new TraceConfig(file.toString(), "vcr", null, null, null, null, null, true, null,
                null, null, null), context));
        // parent done at 2.0 + gap 8.9 = 10.9
        assertThat(context.submitted()).extracting(Request::arrivalTime).containsExactly(0.0, 10.9);
    }
}
