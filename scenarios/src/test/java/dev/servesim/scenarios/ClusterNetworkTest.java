package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network latency and bandwidth between the client and the replicas (cluster.network), docs/cluster.md. */
class ClusterNetworkTest {

    private static final double LATENCY = 0.05;
    // 1,024 prompt tokens x 4 bytes at 1 MB/s: 4.096 ms on the way in
    private static final double INBOUND = LATENCY + 1024 * 4 / 1e6;

    private static final String CLUSTER = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cluster: {replicas: 2, router: {name: round-robin}}
            workload: {source: poisson, rate: 8, duration: 20, prompt_tokens: 1024, output_tokens: 128}
            sinks: [json, csv]
            """;

    @Test
    void everyTokenCrossesTheNetworkBothWays(@TempDir Path folder) throws Exception {
        RunSummary direct = Scenarios.run(folder, "direct", CLUSTER).summary();
        RunSummary remote = Scenarios.run(folder, "remote", CLUSTER, "cluster.network.latency=" + LATENCY,
                "cluster.network.bytes_per_second=1000000").summary();

        assertThat(remote.requests().arrived()).isEqualTo(direct.requests().arrived()).isGreaterThan(100);
        assertThat(remote.requests().completed()).isEqualTo(remote.requests().arrived());
        List<Double> directTtft = column(folder.resolve("direct/requests.csv"), "ttft_ms");
        List<Double> remoteTtft = column(folder.resolve("remote/requests.csv"), "ttft_ms");
        assertThat(remoteTtft).hasSameSizeAs(directTtft)
                .allSatisfy(ttft -> assertThat(ttft).isGreaterThanOrEqualTo((INBOUND + LATENCY) * 1000 - 1e-6));
        for (int request = 0; request < remoteTtft.size(); request++) {
            assertThat(remoteTtft.get(request)).isGreaterThan(directTtft.get(request));
        }
        assertThat(remote.latencyMs().ttft().p50())
                .isGreaterThan(direct.latencyMs().ttft().p50() + (INBOUND + LATENCY) * 1000 * 0.9);
        assertThat(remote.latencyMs().e2e().p50()).isGreaterThan(direct.latencyMs().e2e().p50());
        // the gaps between tokens do not change: every token is late by the same latency
        assertThat(remote.latencyMs().tpot().p50()).isCloseTo(direct.latencyMs().tpot().p50(),
                org.assertj.core.api.Assertions.within(0.5));
        assertThat(Files.readString(folder.resolve("remote/config.resolved.yaml")))
                .contains("network:").contains("latency: 0.05").contains("bytes_per_second: 1000000.0");
    }

    /** A numeric column of requests.csv, in request id order. */
    private static List<Double> column(Path csv, String name) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int index = List.of(lines.get(0).split(",")).indexOf(name);
        assertThat(index).isNotNegative();
        java.util.TreeMap<Long, Double> byId = new java.util.TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            byId.put(Long.parseLong(fields[0]), Double.parseDouble(fields[index]));
        }
        return List.copyOf(byId.values());
    }
}
