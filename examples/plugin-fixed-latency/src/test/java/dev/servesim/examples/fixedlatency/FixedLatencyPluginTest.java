package dev.servesim.examples.fixedlatency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.examples.fixedlatency.config.FixedLatencyConfig;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import dev.servesim.testing.TestingPlugins;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixedLatencyPluginTest {

    @Test
    @SuppressWarnings("unchecked")
    void tokensComeAtTheConfiguredLatenciesWhateverTheLoad() {
        ServesimPlugin plugin = TestingPlugins.plugin("fixed-latency");
        ServingEngineFactory<FixedLatencyConfig> factory = (ServingEngineFactory<FixedLatencyConfig>)
                TestingPlugins.factory(plugin, ServesimPlugin::engineFactories, "fixed-latency");
        TestingEngineContext context = new TestingEngineContext();
        ServingEngine engine = factory.create(new FixedLatencyConfig(0.2, 0.05), context);

        context.simulation().scheduleAt(1.0, () -> {
            engine.submit(Request.single(1, 1.0, PromptContent.single(1, 100), 3));
            engine.submit(Request.single(2, 1.0, PromptContent.single(2, 5000), 3));
        });
        context.simulation().run(100);

        for (long id : new long[] {1, 2}) {
            List<Event> tokens = context.recorded().events(id).stream().filter(e -> e.type() == Type.TOKENS).toList();
            assertThat(tokens).extracting(Event::time).containsExactly(1.2, 1.25, 1.3);
            assertThat(context.recorded().events(id).get(context.recorded().events(id).size() - 1).type())
                    .isEqualTo(Type.FINISHED);
        }
        assertThat(engine.load().running()).isZero();
    }

    @Test
    void configDefaultsAndChecks() {
        FixedLatencyConfig defaults = TestingPlugins.defaultConfig(FixedLatencyConfig.class);
        assertThat(defaults.ttft()).isEqualTo(0.05);
        assertThat(defaults.itl()).isEqualTo(0.01);
        assertThatThrownBy(() -> new FixedLatencyConfig(-1.0, null)).isInstanceOf(ServesimException.class)
                .hasMessage("ttft: must be zero or a positive number, got -1.0");
    }
}
