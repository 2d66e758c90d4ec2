package dev.servesim.routers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.routers.config.WeightedRandomRouterConfig;
import dev.servesim.testing.TestingPlugins;
import dev.servesim.testing.TestingReplicaView;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutersPluginTest {

    private static final RouterContext FOUR = new RouterContext(4, 16, () -> 0, new SeededRandomStreams(1));

    static Router create(String name, Record config, RouterContext context) {
        ServesimPlugin plugin = TestingPlugins.plugin("routers");
        return create(TestingPlugins.factory(plugin, ServesimPlugin::routerFactories, name), config, context);
    }

    private static <C extends Record> Router create(RouterFactory<C> factory, Record config, RouterContext context) {
        C typed = config == null ? TestingPlugins.defaultConfig(factory.configType()) : factory.configType().cast(config);
        return factory.create(typed, context);
    }

    @Test
    void offersEveryBuiltInRouterWithItsConfigInTheExportedPackage() {
        ServesimPlugin plugin = TestingPlugins.plugin("routers");
        assertThat(plugin.routerFactories()).extracting(RouterFactory::name).containsExactly("round-robin", "random",
                "weighted-random", "least-loaded", "least-kv", "session-affinity", "prefix-aware");
        assertThat(plugin.routerFactories()).allSatisfy(factory -> {
            assertThat(factory.description()).isNotBlank();
            assertThat(factory.configType().getPackageName()).isEqualTo("dev.servesim.routers.config");
        });
        assertThat(plugin.engineFactories()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "random", "least-loaded", "least-kv", "session-affinity", "prefix-aware"})
    void routesARequestToAReplicaFromTheDefaultConfig(String name) {
        Router router = create(name, null, FOUR);
        List<ReplicaView> replicas = TestingReplicaView.cluster(4);
        for (long id = 0; id < 20; id++) {
            assertThat(router.route(Request.single(id, 0, PromptContent.single(id, 64), 4), replicas))
                    .isBetween(0, 3);
        }
    }

    @Test
    void weightedRandomNeedsItsWeightsAndOnePerReplica() {
        assertThatThrownBy(() -> create("weighted-random", null, FOUR))
                .isInstanceOf(ServesimException.class).hasMessage("weights: is required");
        assertThatThrownBy(() -> create("weighted-random", new WeightedRandomRouterConfig(List.of(1.0, 2.0)), FOUR))
                .isInstanceOf(ServesimException.class)
                .hasMessage("weights: has 2 weights but the cluster has 4 replicas; give one per replica");
    }
}
