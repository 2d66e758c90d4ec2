package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    private static Path modularPlugin(Path folder, String jarName, String module, String pkg, String pluginName,
            String factoryName, String extra) throws Exception {
        return PluginJarBuilder.build(folder.resolve(jarName), Map.of(
                "module-info.java", "module " + module + " { requires dev.servesim.api; exports " + pkg
                        + "; provides dev.servesim.api.ServesimPlugin with " + pkg + ".ThePlugin; }",
                pkg.replace('.', '/') + "/ThePlugin.java",
                PluginJarBuilder.workloadPlugin(pkg, pluginName, factoryName, extra)), Map.of());
    }

    @Test
    void builtInSinksAreFoundThroughServiceLoader() {
        PluginRegistry registry = PluginRegistry.discover(List.of());
        assertThat(registry.names(ExtensionKind.SINK)).contains("json", "csv");
        assertThat(registry.find(ExtensionKind.SINK, "json")).get()
                .satisfies(factory -> assertThat(factory.plugin().external()).isFalse());
    }

    @Test
    void aDroppedJarIsLoadedInItsOwnLayerAndItsFactoriesRegistered(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        modularPlugin(plugins, "acme-workload.jar", "com.acme.workload", "com.acme.workload", "acme", "acme-bursts",
                "");

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).isEmpty();
        RegisteredFactory factory = registry.find(ExtensionKind.WORKLOAD, "acme-bursts").orElseThrow();
        assertThat(factory.plugin().external()).isTrue();
        assertThat(factory.plugin().location()).isEqualTo("acme-workload.jar");
        assertThat(factory.plugin().module()).isEqualTo("com.acme.workload");
        Module module = factory.factory().getClass().getModule();
        assertThat(module.getLayer()).isNotEqualTo(ModuleLayer.boot())
                .isNotEqualTo(PluginRegistry.class.getModule().getLayer());
        // a configuration selects it by name and its section binds to the jar's record (only the framework,
        // which this registry lacks, is reported)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigLoader(registry).bind(
                dev.servesim.runner.config.ConfigSource.parse(
                        "framework: {name: none}\nworkload: {source: acme-bursts, n: 3}\n", "t.yaml", false), "t"))
                .hasMessageContaining("t.yaml:1:13: framework.name: unknown framework 'none'; available: (none installed)")
                .hasMessageNotContaining("workload");
    }

    @Test
    void aJarWithoutModuleDescriptorWorksAsAnAutomaticModule(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        PluginJarBuilder.build(plugins.resolve("plain.jar"), Map.of("org/plain/ThePlugin.java",
                PluginJarBuilder.workloadPlugin("org.plain", "plain", "plain-source", "")),
                Map.of("META-INF/services/dev.servesim.api.ServesimPlugin", "org.plain.ThePlugin\n"));

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).isEmpty();
        assertThat(registry.find(ExtensionKind.WORKLOAD, "plain-source")).isPresent();
    }

    @Test
    void brokenJarsAreReportedByNameAndSkippedWhileTheOthersLoad(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        // folder order decides which of two clashing names wins: the first one loaded keeps it
        Files.write(plugins.resolve("garbage.jar"), new byte[] {1, 2, 3, 4});
        Path good = modularPlugin(plugins, "good.jar", "good.plugin", "good.plugin", "good", "good-source", "");
        Path newer = modularPlugin(plugins, "from-the-future.jar", "future.plugin", "future.plugin", "future",
                "future-source",
                "@Override public ApiVersion apiVersion() { return new ApiVersion(99, 0); }");
        Path clash = modularPlugin(plugins, "zz-clash.jar", "clash.plugin", "clash.plugin", "clash", "good-source", "");
        Files.write(plugins.resolve("empty.jar"), emptyJar());

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.find(ExtensionKind.WORKLOAD, "good-source")).get()
                .satisfies(factory -> assertThat(factory.plugin().location()).isEqualTo(good.getFileName().toString()));
        assertThat(registry.problems()).anySatisfy(problem -> assertThat(problem).startsWith("plugin garbage.jar skipped"));
        assertThat(registry.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("future (" + newer.getFileName() + ") skipped: built for servesim API 99.0"));
        assertThat(registry.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("clash (" + clash.getFileName() + ") skipped: workload source 'good-source' is already "
                        + "registered by plugin good (good.jar)"));
        assertThat(registry.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("plugin empty.jar skipped"));
        assertThat(registry.find(ExtensionKind.WORKLOAD, "future-source")).isEmpty();
        assertThat(registry.plugins()).extracting(PluginInfo::name).doesNotContain("future", "clash");
    }

    @Test
    void aJarThatNeedsAModuleNobodyHasIsSkipped(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        // compiled against a module that is not on the runner's module path at run time
        Path library = Files.createDirectories(folder.resolve("lib"));
        PluginJarBuilder.build(library.resolve("helper.jar"), Map.of("module-info.java",
                "module acme.helper { exports acme.helper; }", "acme/helper/Help.java",
                "package acme.helper; public final class Help { }"), Map.of());
        Path jar = plugins.resolve("needs-helper.jar");
        PluginJarBuilder.build(jar, Map.of(
                "module-info.java", "module needs.helper { requires dev.servesim.api; requires acme.helper; "
                        + "provides dev.servesim.api.ServesimPlugin with needs.helper.ThePlugin; }",
                "needs/helper/ThePlugin.java", PluginJarBuilder.workloadPlugin("needs.helper", "nh", "nh", "")),
                Map.of(), library.resolve("helper.jar"));

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).singleElement().asString()
                .startsWith("plugin needs-helper.jar skipped:").contains("acme.helper");
    }

    private static byte[] emptyJar() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.jar.JarOutputStream(bytes)) {
            out.putNextEntry(new java.util.jar.JarEntry("readme.txt"));
            out.write("nothing here".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
