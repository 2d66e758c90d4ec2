package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.testing.TestingPlugins;
import dev.servesim.testing.TestingWorkloadContext;
import dev.servesim.workload.config.PoissonConfig;
import org.junit.jupiter.api.Test;

class WorkloadPluginTest {

    @Test
    void poissonIsFoundThroughServiceLoaderAndGeneratesRequests() {
        ServesimPlugin plugin = TestingPlugins.plugin("workload");
        @SuppressWarnings("unchecked")
        WorkloadSourceFactory<PoissonConfig> factory = (WorkloadSourceFactory<PoissonConfig>)
                TestingPlugins.factory(plugin, ServesimPlugin::workloadSourceFactories, "poisson");
        TestingWorkloadContext context = new TestingWorkloadContext(1);

        factory.create(new PoissonConfig(10.0, null, 25L, 100, 10), context).start();
        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.submitted()).hasSize(25);
        assertThat(factory.configType()).isEqualTo(PoissonConfig.class);
    }
}
