package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterGroupsConfigTest {

    private static final String SIX_REQUESTS = """
            name: six
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            workload: {source: scripted, arrivals: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], output_tokens: 3}
            """;

    @Test
    void groupsDefaultTheReplicaCountAndMergeTheirOverrides() {
        RunConfiguration configuration = TestingConfigs.load(SIX_REQUESTS + """
                cluster:
                  router: {name: modulo}
                  groups:
                    - {replicas: 2}
                    - {replicas: 1, framework: {ttft: 0.3}}
                """);

        ClusterSettings cluster = configuration.cluster();
        assertThat(cluster.replicas()).isEqualTo(3);
        assertThat(cluster.groups()).containsExactly(new ClusterSettings.PoolSettings(2, Map.of()),
                new ClusterSettings.PoolSettings(1, Map.of("ttft", 0.3)));
        assertThat(configuration.replicaFrameworks()).extracting(BoundComponent::config).containsExactly(
                new TestingRunPlugin.SerialConfig(0.1, 0.01), new TestingRunPlugin.SerialConfig(0.1, 0.01),
                new TestingRunPlugin.SerialConfig(0.3, 0.01));
        assertThat(TestingConfigs.load(SIX_REQUESTS).cluster().groups()).isEmpty();
        assertThat(TestingConfigs.load(SIX_REQUESTS).replicaFrameworks()).hasSize(1);

        String resolved = configuration.resolvedYaml();
        RunConfiguration again = new ConfigLoader(TestingConfigs.registry())
                .bind(ConfigSource.parse(resolved, "resolved.yaml", false), "x");
        assertThat(again.resolvedYaml()).isEqualTo(resolved);
        assertThat(again.replicaFrameworks()).extracting(BoundComponent::config)
                .isEqualTo(configuration.replicaFrameworks().stream().map(BoundComponent::config).toList());
    }

    @Test
    void eachReplicaRunsItsGroupsEngine(@TempDir Path out) {
        RunSummary summary = SimulationRunner.run(TestingConfigs.load(SIX_REQUESTS + """
                cluster:
                  router: {name: modulo}
                  groups:
                    - {replicas: 1}
                    - {replicas: 1, framework: {ttft: 0.5}}
                """), out, new RunControl()).summary();

        assertThat(summary.requests().completed()).isEqualTo(6);
        assertThat(summary.cluster().decisions()).containsExactly(3L, 3L);
        assertThat(summary.breakdown().byReplica().get("0").ttftMs().p50())
                .isLessThan(summary.breakdown().byReplica().get("1").ttftMs().p50());
    }

    @Test
    void problemsNameTheNestedKey() {
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS
                + "cluster: {replicas: 4, router: {name: modulo}, groups: [{replicas: 2}, {}]}\n"))
                .hasMessageContaining("cluster.replicas: the groups have 3 replicas in all, got 4");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS
                + "cluster: {mode: disaggregated, router: {name: modulo}, groups: [{replicas: 2}]}\n"))
                .hasMessageContaining("cluster.groups: only a co-located cluster has groups");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS
                + "cluster: {router: {name: modulo}, groups: [{replicas: 0}]}\n"))
                .hasMessageContaining("cluster.groups[0].replicas: must be positive, got 0");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS
                + "cluster: {router: {name: modulo}, groups: [{}, {framework: {tffft: 1}}]}\n"))
                .hasMessageContaining(":4:")
                .hasMessageContaining("cluster.groups[1].framework.tffft: unknown key");
    }

    @Test
    void theNetworkDelaysTheRequestAndEveryTokenTheClientSees(@TempDir Path out) {
        String one = """
                name: one
                framework: {name: serial, ttft: 0.1, itl: 0.01}
                workload: {source: scripted, arrivals: [0.0], output_tokens: 3}
                """;
        RunSummary direct = SimulationRunner.run(TestingConfigs.load(one), out.resolve("direct"), new RunControl())
                .summary();
        RunSummary remote = SimulationRunner.run(TestingConfigs.load(one + "cluster: {network: {latency: 0.25}}\n"),
                out.resolve("remote"), new RunControl()).summary();

        assertThat(remote.requests().completed()).isEqualTo(1);
        assertThat(remote.latencyMs().ttft().max())
                .isCloseTo(direct.latencyMs().ttft().max() + 500, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(remote.latencyMs().e2e().max())
                .isCloseTo(direct.latencyMs().e2e().max() + 500, org.assertj.core.api.Assertions.within(1e-9));
        // the engine steps at other absolute times, so the gaps differ only by rounding
        assertThat(remote.latencyMs().tpot().max())
                .isCloseTo(direct.latencyMs().tpot().max(), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void networkDefaultsToNoDelay() {
        ClusterSettings.NetworkSettings network = TestingConfigs.load(SIX_REQUESTS).cluster().network();
        assertThat(network).isEqualTo(new ClusterSettings.NetworkSettings(0.0, null));
        assertThat(network.instant()).isTrue();
        assertThat(new ClusterSettings.NetworkSettings(0.01, 4000.0).inbound(1000)).isEqualTo(1.01);
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS + "cluster: {network: {latency: -1}}\n"))
                .hasMessageContaining("cluster.network.latency");
    }
}
