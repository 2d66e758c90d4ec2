package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine replicas behind the built-in routers, end to end through the runner with the real vLLM engine, workloads and
 * cache strategies. docs/cluster.md records the figures.
 */
class ClusterRoutingTest {

    // equal requests (1024 prompt tokens, 256 output tokens) at 16 per second for 60 s; the router counts its own
    // requests in flight (reports 1 s stale would herd each second's requests onto one replica, docs/cluster.md)
    private static final String EQUAL_WORK = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cluster: {replicas: 4, router: {name: least-loaded, load: in_flight}}
            workload: {source: poisson, rate: 16, duration: 60, prompt_tokens: 1024, output_tokens: 256}
            sinks: [json]
            """;

    private static final String CONVERSATIONS = """
            seed: 1
            framework: {name: vllm, model: llama-2-7b, hardware: H100-SXM-80GB}
            cache: {strategy: block-hash}
            cluster: {replicas: 4, router: {name: session-affinity}}
            workload:
              source: synthetic
              rate: 2
              total_duration: 30
              profiles:
                - name: chat
                  prompt_tokens: {type: constant, value: 500}
                  max_output_tokens: {type: constant, value: 100}
                  follow_up_tokens: {type: constant, value: 500}
                  conversational_probability: 1.0
                  think_time: {type: constant, value: 1}
                  max_turns: 6
            sinks: [json, csv]
            """;

    @Test
    void leastLoadedSpreadsEqualWorkEvenly(@TempDir Path folder) throws Exception {
        RunSummary summary = Scenarios.run(folder, "least-loaded", EQUAL_WORK).summary();

        assertThat(summary.requests().completed()).isEqualTo(summary.requests().arrived());
        RunSummary.Cluster cluster = summary.cluster();
        assertThat(cluster.replicas()).isEqualTo(4);
        assertThat(cluster.router()).isEqualTo("least-loaded");
        assertThat(cluster.decisions().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(summary.requests().arrived());
        assertThat(cluster.requestImbalance()).isBetween(1.0, 1.02);
        assertThat(cluster.outputTokenImbalance()).isBetween(1.0, 1.02);
        assertThat(summary.breakdown().byReplica()).containsOnlyKeys("0", "1", "2", "3");
    }

    @Test
    void sessionAffinityKeepsEveryTurnOfASessionOnOneReplica(@TempDir Path folder) throws Exception {
        RunSummary affinity = Scenarios.run(folder, "affinity", CONVERSATIONS).summary();
        RunSummary roundRobin = Scenarios.run(folder, "round-robin", CONVERSATIONS,
                "cluster.router.name=round-robin").summary();

        Map<String, Set<String>> replicasBySession = replicasBySession(folder.resolve("affinity/requests.csv"));
        assertThat(replicasBySession).hasSizeGreaterThan(50);
        assertThat(replicasBySession.values()).allSatisfy(replicas -> assertThat(replicas).hasSize(1));
        Set<String> used = new HashSet<>();
        replicasBySession.values().forEach(used::addAll);
        assertThat(used).containsExactlyInAnyOrder("0", "1", "2", "3");
        assertThat(replicasBySession(folder.resolve("round-robin/requests.csv")).values())
                .anySatisfy(replicas -> assertThat(replicas).hasSizeGreaterThan(1));
        // each turn finds its conversation on its replica; scattered, the turns mostly miss
        assertThat(affinity.prefixCache().conversationalHitRate()).isEqualTo(1.0);
        assertThat(affinity.prefixCache().tokenHitRate())
                .isGreaterThan(roundRobin.prefixCache().tokenHitRate() + 0.3);
    }

    /** requests.csv: session id (column 2) to the replicas (column 4) that served its turns. */
    static Map<String, Set<String>> replicasBySession(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("request_id,session_id,turn,replica,");
        Map<String, Set<String>> sessions = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            sessions.computeIfAbsent(fields[1], session -> new HashSet<>()).add(fields[3]);
        }
        return sessions;
    }
}
