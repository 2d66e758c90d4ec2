package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agentic sessions: 100 sessions x 5 closed-loop turns on two 10,000-token shared prefixes. With vLLM's prefix
 * caching almost every request hits; with caching off the prefill load exceeds one H100's capacity and TTFT of
 * follow-up turns grows by orders of magnitude.
 */
class AgenticCacheScenarioTest {

    static final String AGENTS = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cache: {strategy: block-hash}
            workload:
              source: multiturn
              rate: 1
              num_sessions: 100
              turns: 5
              think_time: 1
              prefix_count: 2
              prefix_tokens: 10000
              prompt_tokens: 300
              output_tokens: 100
            sinks: [json]
            """;

    @Test
    void prefixCachingKeepsFollowUpTurnsFastAndItsAbsenceOverloadsTheEngine(@TempDir Path folder) throws Exception {
        RunSummary cached = Scenarios.run(folder, "cached", AGENTS).summary();
        RunSummary cold = Scenarios.run(folder, "cold", AGENTS, "cache.strategy=disabled").summary();

        assertThat(cached.requests().completed()).isEqualTo(500);
        assertThat(cold.requests().completed()).isEqualTo(500);
        // only the first request on each shared prefix misses
        assertThat(cached.prefixCache().requestHitRate()).isGreaterThan(0.99);
        assertThat(cached.prefixCache().tokenHitRate()).isGreaterThan(0.95);

        double cachedFollowUps = cached.breakdown().byTurn().get("turns 2+").ttftMs().p50();
        double coldFollowUps = cold.breakdown().byTurn().get("turns 2+").ttftMs().p50();
        assertThat(cachedFollowUps).isLessThan(100);
        assertThat(coldFollowUps).isGreaterThan(100 * cachedFollowUps);
    }
}
