package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import dev.servesim.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 replicas behind a prefix-aware router replaying the Mooncake conversation trace (1 hour): every request is
 * accounted for and the routing figures add up. The wall time is measured with the CLI (docs/benchmarks.md), not here.
 */
class ClusterScaleTest {

    @Test
    void sixtyFourReplicasReplayTheMooncakeTrace(@TempDir Path folder) throws Exception {
        Path trace = SharedData.path("traces/mooncake/conversation_trace.jsonl");
        RunSummary summary = Scenarios.run(folder, "mooncake-64", """
                seed: 1
                framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
                cache: {strategy: block-hash}
                cluster: {replicas: 64, router: {name: prefix-aware}}
                workload: {source: trace, file: '%s'}
                sinks: [json]
                """.formatted(trace)).summary();

        assertThat(summary.requests().arrived()).isEqualTo(12_031);
        assertThat(summary.requests().completed()).isEqualTo(12_031);
        assertThat(summary.cluster().replicas()).isEqualTo(64);
        assertThat(summary.cluster().decisions()).hasSize(64);
        assertThat(summary.cluster().decisions().stream().mapToLong(Long::longValue).sum()).isEqualTo(12_031);
        // stale load reports let a replica holding a hot prefix draw most of its requests (docs/cluster.md)
        assertThat(summary.cluster().decisions().stream().filter(count -> count > 0).count()).isGreaterThan(8);
        assertThat(summary.prefixCache().tokenHitRate()).isPositive();
    }
}
