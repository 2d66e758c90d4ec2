package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.testing.SharedData;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the Mooncake conversation trace (../shared/traces) through vLLM's prefix caching. One request at a time
 * with a KV pool larger than the whole trace, the reuse must equal what the trace's hash ids allow; with the H100's
 * real pool it is far lower, with evictions and preemptions. docs/cache-strategies.md records the figures.
 */
class MooncakeReplayScenarioTest {

    private static final int ENGINE_BLOCK = 16;
    private static final int TRACE_BLOCK = 512;

    private static String config(Path trace, String extra) {
        return """
                seed: 1
                framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB%s}
                cache: {strategy: block-hash}
                workload: {source: trace, file: '%s'%s}
                sinks: [json]
                """.formatted(extra.startsWith("pool") ? ", num_gpu_blocks: 6000000" : "", trace,
                extra.endsWith("sequential") ? ", max_concurrency: 1" : "");
    }

    @Test
    void reuseMatchesTheTraceWhenNothingIsEvictedAndDropsWithTheRealPool(@TempDir Path folder) throws Exception {
        Path trace = SharedData.path("traces/mooncake/conversation_trace.jsonl");
        long reusable = reusableTokensFromHashIds(trace);

        RunSummary sequential = Scenarios.run(folder, "sequential", config(trace, "pool sequential")).summary();
        RunSummary recorded = Scenarios.run(folder, "recorded", config(trace, "pool")).summary();
        RunSummary realPool = Scenarios.run(folder, "real-pool", config(trace, "")).summary();

        assertThat(sequential.requests().completed()).isEqualTo(12_031);
        assertThat(sequential.prefixCache().tokensSaved()).isEqualTo(reusable);
        assertThat(sequential.prefixCache().blocksEvicted()).isZero();
        assertThat(recorded.prefixCache().tokensSaved()).isLessThanOrEqualTo(reusable);
        assertThat(realPool.prefixCache().tokensSaved()).isLessThan(recorded.prefixCache().tokensSaved() / 2);
        assertThat(realPool.prefixCache().blocksEvicted()).isPositive();
        assertThat(realPool.requests().completed()).isEqualTo(12_031);
    }

    /**
     * Prompt tokens an unbounded cache could serve, straight from the trace: a 512-token block is reusable (in whole
     * 16-token engine blocks) as far as an earlier request held the same prefix-chained id at that position, and at
     * least one token of every prompt is computed (vLLM's rule).
     */
    static long reusableTokensFromHashIds(Path trace) throws Exception {
        Map<Long, Integer> longestSeen = new HashMap<>();
        long reusable = 0;
        JsonFactory json = new JsonFactory();
        try (BufferedReader reader = Files.newBufferedReader(trace)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                int input = 0;
                List<Long> ids = new ArrayList<>();
                try (JsonParser parser = json.createParser(line)) {
                    parser.nextToken();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        parser.nextToken();
                        if (field.equals("input_length")) {
                            input = parser.getIntValue();
                        } else if (field.equals("hash_ids")) {
                            while (parser.nextToken() != JsonToken.END_ARRAY) {
                                ids.add(parser.getLongValue());
                            }
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
                long hit = 0;
                for (int i = 0; i < ids.size(); i++) {
                    int tokens = Math.min(TRACE_BLOCK, input - i * TRACE_BLOCK);
                    int seen = longestSeen.getOrDefault(ids.get(i), 0);
                    hit += Math.min(tokens, seen);
                    if (seen < tokens) {
                        break;
                    }
                }
                reusable += Math.min(hit, input - 1) / ENGINE_BLOCK * ENGINE_BLOCK;
                for (int i = 0; i < ids.size(); i++) {
                    int tokens = Math.min(TRACE_BLOCK, input - i * TRACE_BLOCK);
                    longestSeen.merge(ids.get(i), tokens, Math::max);
                }
            }
        }
        return reusable;
    }
}
