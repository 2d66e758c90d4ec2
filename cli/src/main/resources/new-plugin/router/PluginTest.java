package {{package}};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.testing.TestingContexts;
import dev.servesim.testing.TestingPlugins;
import {{package}}.config.{{prefix}}Config;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class {{prefix}}PluginTest {

    /** Through ServiceLoader and the factory, as the runner creates it for a cluster of {@code replicas}. */
    private static Router create({{prefix}}Config config, int replicas) {
        ServesimPlugin plugin = TestingPlugins.plugin("{{name}}");
        RouterFactory<?> factory = TestingPlugins.factory(plugin, ServesimPlugin::routerFactories, "{{name}}");
        assertThat(factory.configType()).isEqualTo({{prefix}}Config.class);
        return (({{component}}Factory) factory).create(config, TestingContexts.router(replicas));
    }

    @Test
    void everyRequestGoesToAReplicaOfTheClusterInTurn() {
        Router router = create(new {{prefix}}Config(1), 3);
        List<ReplicaView> replicas = TestingContexts.idleReplicas(3);

        List<Integer> chosen = new ArrayList<>();
        for (long id = 1; id <= 7; id++) {
            chosen.add(router.route(Request.single(id, id, PromptContent.single(id, 100), 10), replicas));
        }

        // the contract: an index of the list it was given
        assertThat(chosen).allSatisfy(index -> assertThat(index).isBetween(0, replicas.size() - 1));
        assertThat(chosen).containsExactly(1, 2, 0, 1, 2, 0, 1);
    }

    @Test
    void configurationDefaultsAndChecks() {
        assertThat(TestingPlugins.defaultConfig({{prefix}}Config.class).firstReplica()).isZero();
        assertThatThrownBy(() -> new {{prefix}}Config(-1)).isInstanceOf(ServesimException.class)
                .hasMessage("first_replica: must be zero or positive, got -1");
        assertThatThrownBy(() -> create(new {{prefix}}Config(3), 3)).isInstanceOf(ServesimException.class)
                .hasMessage("first_replica: must be less than the number of replicas (3), got 3");
    }
}
