package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.config.ConfigMappers;
import dev.servesim.runner.config.ConfigSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTest {

    // six requests at once; the serial engine serves one at a time (0.1 s to first token, 3 tokens 0.01 s apart)
    private static final String SIX_REQUESTS = """
            name: six
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            workload: {source: scripted, arrivals: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], output_tokens: 3}
            """;

    @Test
    void withoutAClusterSectionOneReplicaServesWithoutARouter() {
        RunConfiguration configuration = TestingConfigs.load(SIX_REQUESTS);

        assertThat(configuration.cluster()).isEqualTo(new ClusterSettings(1, 1.0));
        assertThat(configuration.router()).isNull();
        assertThat(configuration.resolvedYaml()).contains("cluster:\n  replicas: 1\n  report_interval: 1.0\n")
                .doesNotContain("router");
    }

    @Test
    void bindsTheClusterAndItsNestedRouterSection() {
        RunConfiguration configuration = TestingConfigs.load(SIX_REQUESTS
                + "cluster: {replicas: 3, report_interval: 0.5, router: {name: modulo, offset: 1}}\n");

        assertThat(configuration.cluster()).isEqualTo(new ClusterSettings(3, 0.5));
        assertThat(configuration.router().name()).isEqualTo("modulo");
        assertThat(configuration.router().config()).isEqualTo(new TestingRunPlugin.ModuloConfig(1));
        String resolved = configuration.resolvedYaml();
        assertThat(resolved).contains("router:\n    name: modulo\n    offset: 1\n");
        RunConfiguration again = new ConfigLoader(TestingConfigs.registry())
                .bind(ConfigSource.parse(resolved, "resolved.yaml", false), "x");
        assertThat(again.resolvedYaml()).isEqualTo(resolved);
    }

    @Test
    void routerProblemsNameTheNestedKeyWithLineAndColumn() {
        String yaml = SIX_REQUESTS + """
                cluster:
                  replicas: 0
                  router:
                    name: modulo
                    ofset: 2
                """;
        assertThatThrownBy(() -> TestingConfigs.load(yaml))
                .isInstanceOf(ServesimException.class)
                .hasMessage("""
                        2 configuration problems:
                          1. test.yaml:5:3: cluster.replicas: must be positive, got 0
                          2. test.yaml:8:5: cluster.router.ofset: unknown key; known keys: offset""".replace("\n",
                        System.lineSeparator()));
    }

    @Test
    void severalReplicasDefaultToRoundRobinWhichMustBeInstalled() {
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS + "cluster: {replicas: 2}\n"))
                .isInstanceOf(ServesimException.class)
                .hasMessage("test.yaml:4:1: cluster.router.name: unknown router 'round-robin'; available: modulo");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS + "cluster: {replicas: 2, router: {name: x}}\n"))
                .hasMessage("test.yaml:4:33: cluster.router.name: unknown router 'x'; available: modulo");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS + "cluster: 3\n"))
                .hasMessageContaining("cluster: expected a mapping");
    }

    @Test
    void routesEveryRequestAndSummarizesTheReplicas(@TempDir Path out) throws Exception {
        RunResult result = SimulationRunner.run(TestingConfigs.load(SIX_REQUESTS
                + "cluster: {replicas: 3, router: {name: modulo}}\n"), out, new RunControl());
        RunSummary summary = result.summary();

        // two requests per replica, served one after the other: TTFT 100 and 220 ms on every replica
        assertThat(summary.requests().completed()).isEqualTo(6);
        assertThat(summary.latencyMs().ttft().max()).isCloseTo(220.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(summary.cluster()).isEqualTo(RunSummary.Cluster.colocated(3, "modulo", List.of(2L, 2L, 2L),
                List.of(6L, 6L, 6L), 1.0, 1.0));
        assertThat(summary.breakdown().byReplica()).containsOnlyKeys("0", "1", "2");
        JsonNode json = ConfigMappers.json().readTree(out.resolve("summary.json").toFile());
        assertThat(json.at("/cluster/router").asText()).isEqualTo("modulo");
        assertThat(json.at("/cluster/decisions").toString()).isEqualTo("[2,2,2]");
        assertThat(json.at("/cluster/request_imbalance").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aRouterChoosingNoReplicaFailsTheRunNamingIt(@TempDir Path out) {
        RunConfiguration configuration = TestingConfigs.load(SIX_REQUESTS
                + "cluster: {replicas: 2, router: {name: modulo, offset: -1}}\n");
        assertThatThrownBy(() -> SimulationRunner.run(configuration, out, new RunControl()))
                .isInstanceOf(ServesimException.class)
                .hasMessageContaining("router 'modulo' chose replica 2 for request 0, but the cluster has replicas 0 to 1")
                .satisfies(e -> assertThat(((ServesimException) e).kind()).isEqualTo(ErrorKind.PLUGIN));
    }
}
