package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A co-located cluster of replica groups on different GPUs, with the real vLLM engine. docs/cluster.md. */
class ClusterGroupsTest {

    private static final String WORKLOAD = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            workload: {source: poisson, rate: 4, duration: 20, prompt_tokens: 1024, output_tokens: 128}
            sinks: [json]
            """;

    private static final String TWO_GROUPS = WORKLOAD + """
            cluster:
              router: {name: round-robin}
              groups:
                - {replicas: 1}
                - {replicas: 1, framework: {hardware: A100-SXM-40GB}}
            """;

    @Test
    void eachGroupRunsItsOwnHardwareBehindOneRouter(@TempDir Path folder) throws Exception {
        RunSummary groups = Scenarios.run(folder, "groups", TWO_GROUPS).summary();
        RunSummary h100 = Scenarios.run(folder, "h100", WORKLOAD).summary();
        RunSummary a100 = Scenarios.run(folder, "a100", WORKLOAD, "framework.hardware=A100-SXM-40GB").summary();

        RunSummary.Requests requests = groups.requests();
        assertThat(requests.arrived()).isGreaterThan(40);
        assertThat(requests.completed()).isEqualTo(requests.arrived());
        RunSummary.Cluster cluster = groups.cluster();
        assertThat(cluster.replicas()).isEqualTo(2);
        assertThat(cluster.router()).isEqualTo("round-robin");
        assertThat(cluster.decisions().get(0) + cluster.decisions().get(1)).isEqualTo(requests.arrived());
        assertThat(Math.abs(cluster.decisions().get(0) - cluster.decisions().get(1))).isLessThanOrEqualTo(1);
        // each replica's engine is its group's: the KV pools add up to one H100 pool plus one A100-40GB pool
        assertThat(h100.kvCache().blocks()).isGreaterThan(a100.kvCache().blocks());
        assertThat(groups.kvCache().blocks()).isEqualTo(h100.kvCache().blocks() + a100.kvCache().blocks());
        // and the A100 is slower at the same work
        assertThat(groups.breakdown().byReplica().get("1").ttftMs().p50())
                .isGreaterThan(groups.breakdown().byReplica().get("0").ttftMs().p50());
    }

    @Test
    void theResolvedConfigurationRunsTheSameCluster(@TempDir Path folder) throws Exception {
        RunSummary first = Scenarios.run(folder, "groups", TWO_GROUPS).summary();
        String resolved = Files.readString(folder.resolve("groups/config.resolved.yaml"));
        assertThat(resolved).contains("groups:").contains("A100-SXM-40GB");

        RunSummary again = Scenarios.run(folder, "again", resolved).summary();

        assertThat(again.cluster().decisions()).isEqualTo(first.cluster().decisions());
        assertThat(again.kvCache()).isEqualTo(first.kvCache());
        assertThat(again.latencyMs()).isEqualTo(first.latencyMs());
    }
}
