package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jar from a plugins folder sees dev.servesim.api, the JDK and its own jars: nothing of the runner. */
class PluginIsolationTest {

    private static final String RULE = "which plugins cannot see; plugins may use dev.servesim.api, the JDK and their "
            + "own jars";

    private static Map<String, String> modularPlugin(String module, String requires, String pkg, String extraMember) {
        String source = PluginJarBuilder.workloadPlugin(pkg, module, module + "-source", extraMember);
        return Map.of("module-info.java", "module " + module + " { requires dev.servesim.api; " + requires
                        + " exports " + pkg + "; provides dev.servesim.api.ServesimPlugin with " + pkg
                        + ".ThePlugin; }",
                pkg.replace('.', '/') + "/ThePlugin.java", source);
    }

    private static Path[] jackson() {
        return new Path[] {PluginJarBuilder.locationOf(ObjectMapper.class),
                PluginJarBuilder.locationOf(JsonFactory.class), PluginJarBuilder.locationOf(JsonProperty.class)};
    }

    @Test
    void aModuleThatRequiresGuiceIsRefusedNamingTheJarAndThePackage(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        PluginJarBuilder.build(plugins.resolve("acme-guice.jar"), modularPlugin("acme.guice",
                "requires com.google.guice;", "acme.guice", "private com.google.inject.Injector injector;"),
                Map.of(), PluginJarBuilder.locationOf(Injector.class));
        Path clean = PluginJarBuilder.build(plugins.resolve("clean.jar"),
                modularPlugin("clean.plugin", "", "clean.plugin", ""), Map.of());

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).containsExactly("plugin acme-guice.jar skipped: it uses com.google.inject "
                + "(module com.google.guice), " + RULE);
        assertThat(registry.find(ExtensionKind.WORKLOAD, "acme.guice-source")).isEmpty();
        assertThat(registry.find(ExtensionKind.WORKLOAD, "clean.plugin-source")).get()
                .satisfies(factory -> assertThat(factory.plugin().location())
                        .isEqualTo(clean.getFileName().toString()));
    }

    @Test
    void aModuleThatOnlyRequiresJacksonIsRefusedNamingTheModule(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        PluginJarBuilder.build(plugins.resolve("acme-json.jar"), modularPlugin("acme.json",
                "requires com.fasterxml.jackson.databind;", "acme.json", ""), Map.of(), jackson());

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).containsExactly("plugin acme-json.jar skipped: it requires module "
                + "com.fasterxml.jackson.databind, " + RULE);
    }

    @Test
    void aJarWithoutDescriptorThatUsesJacksonIsRefusedNamingTheJarAndThePackage(@TempDir Path folder)
            throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        PluginJarBuilder.build(plugins.resolve("acme-cache.jar"), Map.of("acme/cache/ThePlugin.java",
                PluginJarBuilder.workloadPlugin("acme.cache", "acme-cache", "acme-cache-source",
                        "static Object mapper() { return new com.fasterxml.jackson.databind.ObjectMapper(); }")),
                Map.of("META-INF/services/dev.servesim.api.ServesimPlugin", "acme.cache.ThePlugin\n"), jackson());

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).containsExactly("plugin acme-cache.jar skipped: it uses "
                + "com.fasterxml.jackson.databind (module com.fasterxml.jackson.databind), " + RULE);
        assertThat(registry.find(ExtensionKind.WORKLOAD, "acme-cache-source")).isEmpty();
    }

    @Test
    void aJarWithoutDescriptorThatUsesTheRunnerIsRefused(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        PluginJarBuilder.build(plugins.resolve("reaches-in.jar"), Map.of("acme/in/ThePlugin.java",
                PluginJarBuilder.workloadPlugin("acme.in", "in", "in-source",
                        "static Object registry() { return dev.servesim.runner.PluginRegistry.class; }")),
                Map.of("META-INF/services/dev.servesim.api.ServesimPlugin", "acme.in.ThePlugin\n"),
                PluginJarBuilder.locationOf(PluginRegistry.class));

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).containsExactly("plugin reaches-in.jar skipped: it uses dev.servesim.runner "
                + "(module dev.servesim.runner), " + RULE);
    }

    @Test
    void aPluginFolderMayUseItsOwnJars(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Path acme = Files.createDirectories(plugins.resolve("acme"));
        Path helper = PluginJarBuilder.build(acme.resolve("helper.jar"), Map.of("acme/helper/Help.java",
                "package acme.helper; public final class Help { public static String name() { return \"helped\"; } }"),
                Map.of());
        PluginJarBuilder.build(acme.resolve("plugin.jar"), Map.of("acme/plugin/ThePlugin.java",
                PluginJarBuilder.workloadPlugin("acme.plugin", "acme", "helped-source",
                        "static String helped() { return acme.helper.Help.name(); }")),
                Map.of("META-INF/services/dev.servesim.api.ServesimPlugin", "acme.plugin.ThePlugin\n"), helper);

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).isEmpty();
        assertThat(registry.find(ExtensionKind.WORKLOAD, "helped-source")).get()
                .satisfies(factory -> assertThat(factory.plugin().location()).isEqualTo("acme"));
    }
}
