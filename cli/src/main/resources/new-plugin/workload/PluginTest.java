package {{package}};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.request.Request;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.testing.TestingPlugins;
import dev.servesim.testing.TestingWorkloadContext;
import {{package}}.config.{{prefix}}Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class {{prefix}}PluginTest {

    /** Through ServiceLoader and the factory, as the runner creates the run's source, on a real simulation. */
    private static WorkloadSource create({{prefix}}Config config, TestingWorkloadContext context) {
        ServesimPlugin plugin = TestingPlugins.plugin("{{name}}");
        WorkloadSourceFactory<?> factory =
                TestingPlugins.factory(plugin, ServesimPlugin::workloadSourceFactories, "{{name}}");
        assertThat(factory.configType()).isEqualTo({{prefix}}Config.class);
        return (({{component}}Factory) factory).create(config, context);
    }

    @Test
    void sendsTheConfiguredRequestsAtTheConfiguredRateThenStops() {
        // the context fails a request submitted at another time than its arrival time
        TestingWorkloadContext context = new TestingWorkloadContext(1);
        WorkloadSource source = create(new {{prefix}}Config(5, 4.0), context);

        source.start();
        context.simulation().run(1e6);

        List<Request> requests = context.submitted();
        assertThat(requests).extracting(Request::arrivalTime).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
        assertThat(requests).extracting(Request::id).doesNotHaveDuplicates();
        assertThat(requests).allSatisfy(request -> assertThat(request.promptTokens() + request.maxOutputTokens())
                .isLessThanOrEqualTo(context.maxModelLen()));
    }

    @Test
    void refusesAContextTooShortForItsRequests() {
        assertThatThrownBy(() -> create(TestingPlugins.defaultConfig({{prefix}}Config.class),
                new TestingWorkloadContext(1, 100)))
                .isInstanceOf(ServesimException.class).hasMessageContaining("max_model_len");
    }

    @Test
    void configurationDefaultsAndChecks() {
        {{prefix}}Config defaults = TestingPlugins.defaultConfig({{prefix}}Config.class);
        assertThat(defaults.requests()).isEqualTo(100);
        assertThat(defaults.rate()).isEqualTo(10.0);
        assertThatThrownBy(() -> new {{prefix}}Config(null, 0.0)).isInstanceOf(ServesimException.class)
                .hasMessage("rate: must be a positive number, got 0.0");
    }
}
