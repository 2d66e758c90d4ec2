package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.Request;
import dev.servesim.runner.config.ConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisaggregatedClusterTest {

    private static final String SIX_REQUESTS = """
            name: six
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            workload: {source: scripted, arrivals: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], output_tokens: 3}
            """;

    @Test
    void defaultsToOneReplicaPerPoolBuiltFromTheFrameworkSection() {
        RunConfiguration configuration = TestingConfigs.load(SIX_REQUESTS
                + "cluster: {mode: disaggregated, router: {name: modulo}}\n");

        ClusterSettings cluster = configuration.cluster();
        assertThat(cluster.disaggregated()).isTrue();
        assertThat(cluster.replicas()).isEqualTo(2);
        assertThat(cluster.prefill()).isEqualTo(new ClusterSettings.PoolSettings(1, Map.of()));
        assertThat(cluster.decode()).isEqualTo(new ClusterSettings.PoolSettings(1, Map.of()));
        assertThat(cluster.transfer()).isEqualTo(new ClusterSettings.TransferSettings(50e9, 0.0005));
        assertThat(configuration.replicaFrameworks().get(0).config()).isEqualTo(configuration.framework().config());
        assertThat(configuration.replicaFrameworks().get(configuration.cluster().replicas() - 1).config()).isEqualTo(configuration.framework().config());
        assertThat(TestingConfigs.load(SIX_REQUESTS).cluster().mode()).isEqualTo("colocated");
        assertThat(TestingConfigs.load(SIX_REQUESTS).replicaFrameworks()).hasSize(1);
    }

    @Test
    void mapsEveryKeyMergesPoolOverridesAndReadsItsResolvedFileBack() {
        RunConfiguration configuration = TestingConfigs.load(SIX_REQUESTS + """
                cluster:
                  mode: disaggregated
                  replicas: 5
                  router: {name: modulo}
                  prefill: {replicas: 2, framework: {ttft: 0.3}}
                  decode: {replicas: 3, framework: {itl: 0.02}}
                  transfer: {bytes_per_second: 1000, latency: 0.25}
                """);

        assertThat(configuration.cluster().transfer()).isEqualTo(new ClusterSettings.TransferSettings(1000.0, 0.25));
        assertThat(configuration.replicaFrameworks().get(0).config()).isEqualTo(new TestingRunPlugin.SerialConfig(0.3, 0.01));
        assertThat(configuration.replicaFrameworks().get(configuration.cluster().replicas() - 1).config()).isEqualTo(new TestingRunPlugin.SerialConfig(0.1, 0.02));
        String resolved = configuration.resolvedYaml();
        assertThat(resolved).contains("mode: disaggregated").contains("bytes_per_second: 1000.0");
        RunConfiguration again = new ConfigLoader(TestingConfigs.registry())
                .bind(ConfigSource.parse(resolved, "resolved.yaml", false), "x");
        assertThat(again.resolvedYaml()).isEqualTo(resolved);
        assertThat(again.replicaFrameworks().get(0).config()).isEqualTo(configuration.replicaFrameworks().get(0).config());
    }

    /** An engine without the {@code KvTransferSupport} capability cannot serve a disaggregated layout. */
    @Test
    void anEngineThatCannotTransferKvIsRefusedForADisaggregatedLayout(@TempDir Path out) {
        ServesimPlugin plain = new ServesimPlugin() {
            @Override
            public String name() {
                return "plain-engine";
            }

            @Override
            public List<ServingEngineFactory<?>> engineFactories() {
                return List.of(new ServingEngineFactory<TestingRunPlugin.SerialConfig>() {
                    @Override
                    public String name() {
                        return "plain";
                    }

                    @Override
                    public String description() {
                        return "a serial engine without KV transfer";
                    }

                    @Override
                    public Class<TestingRunPlugin.SerialConfig> configType() {
                        return TestingRunPlugin.SerialConfig.class;
                    }

                    @Override
                    public ServingEngine create(TestingRunPlugin.SerialConfig config, EngineContext context) {
                        ServingEngine serial = new TestingRunPlugin.SerialEngine(config, context);
                        return new ServingEngine() {
                            @Override
                            public void submit(Request request) {
                                serial.submit(request);
                            }

                            @Override
                            public EngineLoad load() {
                                return serial.load();
                            }

                            @Override
                            public EngineInfo info() {
                                return serial.info();
                            }
                        };
                    }
                });
            }
        };
        List<ServesimPlugin> plugins = new java.util.ArrayList<>(TestingConfigs.registryPlugins());
        plugins.add(plain);
        ConfigSource source = ConfigSource.parse(SIX_REQUESTS.replace("name: serial", "name: plain")
                + "cluster: {mode: disaggregated, router: {name: modulo}}\n", "test.yaml", false);
        RunConfiguration configuration = new ConfigLoader(PluginRegistry.of(plugins)).bind(source, "test");

        assertThatThrownBy(() -> SimulationRunner.run(configuration, out.resolve("run"), new RunControl()))
                .isInstanceOf(ServesimException.class)
                .hasMessage("cluster.mode: disaggregated needs engines that can hand over and take in KV caches, and "
                        + "framework 'plain' (plugin plain-engine) does not (its engine does not implement "
                        + "KvTransferSupport); use mode: colocated");
        assertThat(out.resolve("run")).doesNotExist();
    }

    @Test
    void problemsNameTheNestedKey() {
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS + """
                cluster:
                  mode: disaggregated
                  replicas: 4
                  router: {name: modulo}
                  prefill: {replicas: 2}
                """))
                .isInstanceOf(ServesimException.class)
                .hasMessageContaining("cluster.replicas: a disaggregated cluster has prefill.replicas + "
                        + "decode.replicas = 3 replicas, got 4");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS + "cluster: {mode: split}\n"))
                .hasMessageContaining("cluster.mode: must be colocated or disaggregated, got 'split'");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS
                + "cluster: {mode: disaggregated, router: {name: modulo}, transfer: {bandwidth: 1}}\n"))
                .hasMessageContaining("cluster.transfer.bandwidth")
                .hasMessageContaining("bytes_per_second");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS
                + "cluster: {mode: disaggregated, router: {name: modulo}, decode: {replicas: 0}}\n"))
                .hasMessageContaining("cluster.decode.replicas: must be positive, got 0");
        assertThatThrownBy(() -> TestingConfigs.load(SIX_REQUESTS
                + "cluster: {mode: disaggregated, router: {name: modulo}, prefill: {framework: {tffft: 1}}}\n"))
                .hasMessageContaining("cluster.prefill.framework.tffft: unknown key");
    }

    @Test
    void aRequestIsPrefilledThenTransferredThenDecoded(@TempDir Path out) throws Exception {
        RunSummary summary = SimulationRunner.run(TestingConfigs.load(SIX_REQUESTS + """
                cluster:
                  mode: disaggregated
                  router: {name: modulo}
                  prefill: {replicas: 3}
                  decode: {replicas: 3}
                  transfer: {latency: 0.5}
                """), out, new RunControl()).summary();

        assertThat(summary.requests().completed()).isEqualTo(6);
        RunSummary.Cluster cluster = summary.cluster();
        assertThat(cluster.mode()).isEqualTo("disaggregated");
        assertThat(cluster.decisions()).containsExactly(2L, 2L, 2L, 2L, 2L, 2L);
        // one token per prompt on the prefill replicas, every output on the decode replicas
        assertThat(cluster.outputTokens()).containsExactly(2L, 2L, 2L, 6L, 6L, 6L);
        assertThat(cluster.pools().keySet()).containsExactly("prefill", "decode");
        assertThat(cluster.transferMs().count()).isEqualTo(6);
        // the testing engine has no kv_bytes_per_token: the link's latency only
        assertThat(cluster.transferMs().max()).isCloseTo(500.0, within(1e-9));
        assertThat(cluster.transferredBytes()).isZero();
        // prefill (100 or 220 ms), 500 ms on the link, then the whole request again on the decode replica, which
        // does not model transferred KV: at least 100 + 500 + 100 ms
        assertThat(summary.latencyMs().ttft().count()).isEqualTo(6);
        assertThat(summary.latencyMs().ttft().p50()).isGreaterThanOrEqualTo(700.0 - 1e-9);
        assertThat(summary.breakdown().byReplica()).containsOnlyKeys("3", "4", "5");
    }
}
