package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart's engine under growing load: queueing appears before anything is lost. */
class QuickstartScenarioTest {

    private static final String LOAD = """
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            workload: {source: poisson, rate: 8, duration: 60, prompt_tokens: 1024, output_tokens: 256}
            sinks: [json]
            """;

    @Test
    void moreLoadMeansMoreLatencyButEveryRequestIsAccountedFor(@TempDir Path folder) throws Exception {
        RunSummary light = Scenarios.run(folder, "light", LOAD).summary();
        RunSummary heavy = Scenarios.run(folder, "heavy", LOAD, "workload.rate=40").summary();

        for (RunSummary summary : new RunSummary[] {light, heavy}) {
            assertThat(summary.requests().completed() + summary.requests().rejected()
                    + summary.requests().unfinished()).isEqualTo(summary.requests().arrived());
        }
        assertThat(heavy.latencyMs().tpot().p50()).isGreaterThan(light.latencyMs().tpot().p50());
        assertThat(heavy.latencyMs().e2e().p90()).isGreaterThan(light.latencyMs().e2e().p90());
        assertThat(heavy.kvCache().meanUsage()).isGreaterThan(light.kvCache().meanUsage());
        // 40 req/s x 256 tokens asks for 10,240 output tokens/s, more than one H100 delivers with 1,024-token
        // prompts: throughput rises but saturates, and requests queue
        assertThat(heavy.throughput().outputTokensPerS()).isGreaterThan(1.5 * light.throughput().outputTokensPerS())
                .isLessThan(10_240);
        assertThat(heavy.latencyMs().queue().p90()).isGreaterThan(10 * light.latencyMs().queue().p90());
    }
}
