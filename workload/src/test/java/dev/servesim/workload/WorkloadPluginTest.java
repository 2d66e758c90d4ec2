package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.testing.TestingPlugins;
import dev.servesim.testing.TestingWorkloadContext;
import dev.servesim.workload.config.ClientProfileConfig;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.MultiturnConfig;
import dev.servesim.workload.config.PoissonConfig;
import dev.servesim.workload.config.SharedPrefixConfig;
import dev.servesim.workload.config.StageConfig;
import dev.servesim.workload.config.SyntheticConfig;
import dev.servesim.workload.config.TraceConfig;
import dev.servesim.workload.config.TraceDumpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadPluginTest {

    private static final ServesimPlugin PLUGIN = TestingPlugins.plugin("workload");

    @SuppressWarnings("unchecked")
    private static <C extends Record> WorkloadSourceFactory<C> source(String name, Class<C> type) {
        WorkloadSourceFactory<C> factory = (WorkloadSourceFactory<C>)
                TestingPlugins.factory(PLUGIN, ServesimPlugin::workloadSourceFactories, name);
        assertThat(factory.configType()).isEqualTo(type);
        assertThat(factory.description()).isNotBlank();
        return factory;
    }

    private static <C extends Record> int run(String name, Class<C> type, C config) {
        TestingWorkloadContext context = new TestingWorkloadContext(1, 4096);
        source(name, type).create(config, context).start();
        context.simulation().run(Double.MAX_VALUE);
        return context.submitted().size();
    }

    @Test
    void theFactoriesAreFoundThroughServiceLoader() {
        assertThat(PLUGIN.workloadSourceFactories()).extracting(WorkloadSourceFactory::name)
                .containsExactly("poisson", "synthetic", "multiturn", "shared-prefix", "trace");
        assertThat(PLUGIN.metricSinkFactories()).extracting(MetricSinkFactory::name).containsExactly("trace-dump");
    }

    @Test
    void everySourceRunsATinyScenario(@TempDir Path folder) throws Exception {
        assertThat(run("poisson", PoissonConfig.class, new PoissonConfig(10.0, null, 25L, DistributionConfig.constant(100), DistributionConfig.constant(10), null))).isEqualTo(25);
        assertThat(run("synthetic", SyntheticConfig.class, new SyntheticConfig(5.0, null, 30L,
                List.of(TestingPlugins.defaultConfig(ClientProfileConfig.class)), null, null))).isEqualTo(30);
        // open loop here: each session sends its first turn only
        assertThat(run("multiturn", MultiturnConfig.class, new MultiturnConfig(2.0, null, 12L, null, null, null, null,
                null, null, null, null, null))).isEqualTo(12);
        assertThat(run("shared-prefix", SharedPrefixConfig.class, new SharedPrefixConfig(null, null, 100, 400, 200,
                null, List.of(new StageConfig(2.0, 10.0)), null, null))).isEqualTo(20);
        Path trace = folder.resolve("t.jsonl");
        Files.writeString(trace, "{\"servesim_trace\": 1, \"block_size\": 16}\n"
                + "{\"arrival\": 0.5, \"prompt_tokens\": 40, \"output_tokens\": 4}\n");
        assertThat(run("trace", TraceConfig.class, new TraceConfig(trace.toString(), null, null, null, null, null,
                null, null, null, null, null, null))).isEqualTo(1);
    }

    @Test
    void defaultConfigurationsOrTheRequiredKeys() {
        assertThat(TestingPlugins.defaultConfig(TraceDumpConfig.class).file()).isEqualTo("trace.jsonl");
        assertThatThrownBy(() -> TestingPlugins.defaultConfig(SyntheticConfig.class))
                .isInstanceOf(ServesimException.class).hasMessageStartingWith("total_duration:");
        assertThatThrownBy(() -> TestingPlugins.defaultConfig(MultiturnConfig.class)).hasMessageStartingWith("rate:");
        assertThatThrownBy(() -> TestingPlugins.defaultConfig(SharedPrefixConfig.class))
                .hasMessageStartingWith("system_prompt_len:");
        assertThatThrownBy(() -> TestingPlugins.defaultConfig(TraceConfig.class)).hasMessageStartingWith("file:");
        assertThat(TestingPlugins.factory(PLUGIN, ServesimPlugin::metricSinkFactories, "trace-dump").configType())
                .isEqualTo(TraceDumpConfig.class);
    }
}
