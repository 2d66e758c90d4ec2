package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prefill/decode disaggregation end to end through the runner with the real vLLM engine: every request is conserved
 * and produces its whole output, its TTFT includes the KV transfer, and the summary shows the transfers and the pools.
 */
class DisaggregatedServingTest {

    // 2 prefill + 2 decode replicas, or 4 co-located ones: the same GPUs
    private static final String DEPLOYMENT = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cluster:
              mode: disaggregated
              replicas: 4
              router: {name: least-loaded, load: in_flight}
              prefill: {replicas: 2}
              decode: {replicas: 2}
            workload: {source: poisson, rate: 8, duration: 30, prompt_tokens: 2048, output_tokens: 128}
            sinks: [json, csv]
            """;

    @Test
    void everyRequestIsServedWholeAcrossThePools(@TempDir Path folder) throws Exception {
        RunSummary summary = Scenarios.run(folder, "disaggregated", DEPLOYMENT).summary();

        RunSummary.Requests requests = summary.requests();
        assertThat(requests.arrived()).isGreaterThan(200);
        assertThat(requests.completed()).isEqualTo(requests.arrived());
        assertThat(requests.rejected() + requests.unfinished()).isZero();
        RunSummary.Cluster cluster = summary.cluster();
        assertThat(cluster.mode()).isEqualTo("disaggregated");
        assertThat(cluster.pools()).containsOnlyKeys("prefill", "decode");
        assertThat(cluster.pools().get("prefill").requests()).isEqualTo(requests.arrived());
        assertThat(cluster.pools().get("decode").requests()).isEqualTo(requests.arrived());
        assertThat(cluster.pools().get("prefill").firstReplica()).isZero();
        assertThat(cluster.pools().get("decode").firstReplica()).isEqualTo(2);
        // each decode replica generated every output token of its requests; each prefill replica one per prompt
        assertThat(cluster.outputTokens().get(2) + cluster.outputTokens().get(3))
                .isEqualTo(requests.arrived() * 128);
        assertThat(cluster.outputTokens().get(0) + cluster.outputTokens().get(1)).isEqualTo(requests.arrived());
        // Llama-3.1-8B in bf16: 32 layers x 8 KV heads x 128 x 2 (K and V) x 2 bytes = 131072 bytes per token
        assertThat(cluster.transferredBytes()).isEqualTo(requests.arrived() * 2048L * 131_072L);
        double transferMs = (0.0005 + 2048 * 131_072 / 50e9) * 1000;
        assertThat(cluster.transferMs().count()).isEqualTo(requests.arrived());
        assertThat(cluster.transferMs().max()).isCloseTo(transferMs, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(cluster.pools().get("prefill").busyFraction()).isBetween(0.0, 1.0);
        assertThat(cluster.pools().get("decode").busyFraction()).isBetween(0.0, 1.0);
        assertThat(cluster.pools().get("decode").meanKvUsage()).isGreaterThan(0.0);

        List<String> lines = Files.readAllLines(folder.resolve("disaggregated/requests.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int replica = header.indexOf("replica");
        int outputTokens = header.indexOf("output_tokens");
        int ttft = header.indexOf("ttft_ms");
        assertThat(lines).hasSize((int) requests.arrived() + 1);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            assertThat(fields[replica]).isIn("2", "3");
            assertThat(fields[outputTokens]).isEqualTo("128");
            assertThat(Double.parseDouble(fields[ttft])).isGreaterThan(transferMs);
        }
    }

    @Test
    void timeToFirstTokenIncludesTheTransfer(@TempDir Path folder) throws Exception {
        RunSummary colocated = Scenarios.run(folder, "colocated", DEPLOYMENT, "cluster.mode=colocated").summary();
        RunSummary slowLink = Scenarios.run(folder, "slow-link", DEPLOYMENT, "cluster.transfer.latency=0.05")
                .summary();

        assertThat(colocated.cluster().mode()).isEqualTo("colocated");
        assertThat(colocated.cluster().pools()).isEmpty();
        assertThat(colocated.cluster().decisions()).hasSize(4);
        assertThat(slowLink.requests().completed()).isEqualTo(slowLink.requests().arrived());
        // prefill, then 50 ms on the link, then the decode admission: every TTFT exceeds the link latency
        assertThat(slowLink.cluster().transferMs().p50()).isGreaterThan(50);
        assertThat(slowLink.latencyMs().ttft().count()).isEqualTo(slowLink.requests().arrived());
        double minimumTtft = Double.MAX_VALUE;
        List<String> lines = Files.readAllLines(folder.resolve("slow-link/requests.csv"));
        int ttft = List.of(lines.get(0).split(",")).indexOf("ttft_ms");
        for (String line : lines.subList(1, lines.size())) {
            minimumTtft = Math.min(minimumTtft, Double.parseDouble(line.split(",")[ttft]));
        }
        assertThat(minimumTtft).isGreaterThan(slowLink.cluster().transferMs().max());
        assertThat(slowLink.latencyMs().ttft().p50()).isGreaterThan(colocated.latencyMs().ttft().p50() + 50);
    }

    @Test
    void poolsCanRunOtherHardwareAndTheSameSeedGivesTheSameRun(@TempDir Path folder) throws Exception {
        String mixed = DEPLOYMENT.replace("prefill: {replicas: 2}",
                "prefill: {replicas: 1, framework: {hardware: A100-SXM-80GB}}").replace("  replicas: 4\n", "");
        RunSummary first = Scenarios.run(folder, "first", mixed).summary();
        RunSummary second = Scenarios.run(folder, "second", mixed).summary();

        assertThat(first.cluster().replicas()).isEqualTo(3);
        assertThat(first.cluster().pools().get("prefill").replicas()).isEqualTo(1);
        assertThat(first.requests().completed()).isEqualTo(first.requests().arrived());
        assertThat(Files.readString(folder.resolve("first/requests.csv")))
                .isEqualTo(Files.readString(folder.resolve("second/requests.csv")));
        String resolved = Files.readString(folder.resolve("first/config.resolved.yaml"));
        assertThat(resolved).contains("mode: disaggregated").contains("hardware: A100-SXM-80GB");
        assertThat(second.latencyMs().ttft()).isEqualTo(first.latencyMs().ttft());
    }
}
