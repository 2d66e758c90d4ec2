package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.runner.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A third-party router jar dropped into a plugins folder is found, configured and used like a built-in one. */
class ExternalRouterTest {

    private static final String ROUTER_PLUGIN = """
            package com.acme.router;

            import dev.servesim.api.ServesimPlugin;
            import dev.servesim.api.router.Router;
            import dev.servesim.api.router.RouterContext;
            import dev.servesim.api.router.RouterFactory;
            import java.util.List;

            public final class ThePlugin implements ServesimPlugin {
                public record Settings(Integer replica) {}

                @Override public String name() { return "acme-router"; }

                @Override public List<RouterFactory<?>> routerFactories() {
                    return List.of(new RouterFactory<Settings>() {
                        @Override public String name() { return "always"; }
                        @Override public String description() { return "always the configured replica"; }
                        @Override public Class<Settings> configType() { return Settings.class; }
                        @Override public Router create(Settings settings, RouterContext context) {
                            int replica = settings.replica() == null ? 0 : settings.replica();
                            return (request, replicas) -> replica;
                        }
                    });
                }
            }
            """;

    @Test
    void aDroppedRouterJarRoutesTheRequests(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        PluginJarBuilder.build(plugins.resolve("acme-router.jar"), Map.of(
                "module-info.java", "module com.acme.router { requires dev.servesim.api; exports com.acme.router; "
                        + "provides dev.servesim.api.ServesimPlugin with com.acme.router.ThePlugin; }",
                "com/acme/router/ThePlugin.java", ROUTER_PLUGIN), Map.of());
        PluginRegistry discovered = PluginRegistry.discover(List.of(plugins));
        assertThat(discovered.problems()).isEmpty();
        assertThat(discovered.find(ExtensionKind.ROUTER, "always")).get()
                .satisfies(factory -> assertThat(factory.plugin().external()).isTrue());

        // the discovered registry has no test engine: run the jar's factory next to the runner's test plugins
        List<dev.servesim.api.ServesimPlugin> withTestingPlugins = new ArrayList<>(TestingConfigs.registryPlugins());
        var external = discovered.find(ExtensionKind.ROUTER, "always").orElseThrow();
        withTestingPlugins.add(new dev.servesim.api.ServesimPlugin() {
            @Override
            public String name() {
                return "acme-router";
            }

            @Override
            public List<dev.servesim.api.router.RouterFactory<?>> routerFactories() {
                return List.of((dev.servesim.api.router.RouterFactory<?>) external.factory());
            }
        });
        RunConfiguration configuration = new ConfigLoader(PluginRegistry.of(withTestingPlugins)).bind(ConfigSource.parse("""
                framework: {name: serial}
                workload: {source: scripted, arrivals: [0.0, 0.0, 0.5]}
                cluster: {replicas: 3, router: {name: always, replica: 2}}
                sinks: [json]
                """, "t.yaml", false), "t");
        RunResult result = SimulationRunner.run(configuration, folder.resolve("out"), new RunControl());

        assertThat(result.summary().cluster().router()).isEqualTo("always");
        assertThat(result.summary().cluster().decisions()).containsExactly(0L, 0L, 3L);
    }
}
