package {{package}};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import dev.servesim.testing.TestingPlugins;
import {{package}}.config.{{prefix}}Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class {{prefix}}PluginTest {

    /** Through ServiceLoader and the factory, as the runner creates one replica, on a real simulation. */
    private static ServingEngine create({{prefix}}Config config, TestingEngineContext context) {
        ServesimPlugin plugin = TestingPlugins.plugin("{{name}}");
        ServingEngineFactory<?> factory = TestingPlugins.factory(plugin, ServesimPlugin::engineFactories, "{{name}}");
        assertThat(factory.configType()).isEqualTo({{prefix}}Config.class);
        return (({{component}}Factory) factory).create(config, context);
    }

    @Test
    void everyRequestGetsItsTokensAtTheConfiguredLatencyAndFinishesOnce() {
        TestingEngineContext context = new TestingEngineContext();
        ServingEngine engine = create(new {{prefix}}Config(0.25), context);

        // requests are submitted at their arrival time, as the runner does
        context.simulation().scheduleAt(1.0, () -> {
            engine.submit(Request.single(1, 1.0, PromptContent.single(1, 100), 3));
            engine.submit(Request.single(2, 1.0, PromptContent.single(2, 5000), 3));
        });
        context.simulation().run(100);

        for (long id = 1; id <= 2; id++) {
            List<Event> events = context.recorded().events(id);
            assertThat(events).extracting(Event::type).containsExactly(Type.QUEUED, Type.SCHEDULED,
                    Type.PREFILL_CHUNK, Type.TOKENS, Type.TOKENS, Type.TOKENS, Type.FINISHED);
            assertThat(events.stream().filter(event -> event.type() == Type.TOKENS))
                    .extracting(Event::time).containsExactly(1.25, 1.5, 1.75);
            assertThat(context.recorded().outputTokens(id)).isEqualTo(3);
        }
        assertThat(engine.load().running()).isZero();
    }

    @Test
    void configurationDefaultsAndChecks() {
        assertThat(TestingPlugins.defaultConfig({{prefix}}Config.class).tokenLatency()).isEqualTo(0.02);
        assertThatThrownBy(() -> new {{prefix}}Config(-1.0)).isInstanceOf(ServesimException.class)
                .hasMessage("token_latency: must be a positive number, got -1.0");
    }
}
