package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.ServesimPlugin;
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
    void aCommandsInProcessPluginIsRegisteredBesideTheBuiltInsAndTheDroppedJars(@TempDir Path folder)
            throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        modularPlugin(plugins, "acme-workload.jar", "com.acme.workload", "com.acme.workload", "acme", "acme-bursts",
                "");
        ServesimPlugin inProcess = TestingConfigs.sinkPlugin("probe", () -> new dev.servesim.api.metrics.MetricSink() {
        });

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins), List.of(inProcess));

        RegisteredFactory sink = registry.find(ExtensionKind.SINK, "probe").orElseThrow();
        assertThat(sink.plugin().location()).isEqualTo("in process");
        assertThat(sink.plugin().external()).isFalse();
        assertThat(registry.find(ExtensionKind.SINK, "json")).isPresent();
        assertThat(registry.find(ExtensionKind.WORKLOAD, "acme-bursts").orElseThrow().plugin().external()).isTrue();
        assertThat(registry.problems()).isEmpty();
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

    private static Path pluginWithDescriptor(Path folder, String jarName, String module, String pkg,
            String factoryName, String exports) throws Exception {
        return PluginJarBuilder.build(folder.resolve(jarName), Map.of(
                "module-info.java", "module " + module + " { requires dev.servesim.api; " + exports
                        + " provides dev.servesim.api.ServesimPlugin with " + pkg + ".ThePlugin; }",
                pkg.replace('.', '/') + "/ThePlugin.java",
                PluginJarBuilder.workloadPlugin(pkg, factoryName, factoryName, "")), Map.of());
    }

    @Test
    void aPluginWhoseConfigurationPackageIsNotExportedIsSkippedWithTheLineToAdd(@TempDir Path folder)
            throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        // ServiceLoader instantiates the provider without an export, so this would only fail at binding
        pluginWithDescriptor(plugins, "hidden.jar", "com.acme.hidden", "com.acme.hidden", "hidden-source", "");
        // exported, but not to Jackson
        pluginWithDescriptor(plugins, "runner-only.jar", "com.acme.runneronly", "com.acme.runneronly",
                "runner-only-source", "exports com.acme.runneronly to dev.servesim.runner;");

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        String hidden = "plugin hidden-source (hidden.jar) skipped: workload source 'hidden-source': module "
                + "com.acme.hidden does not export package com.acme.hidden of its configuration record Settings, so "
                + "the runner cannot bind its configuration; add `exports com.acme.hidden;` to its module-info.java";
        assertThat(registry.problems()).containsExactly(hidden,
                "plugin runner-only-source (runner-only.jar) skipped: workload source 'runner-only-source': module "
                        + "com.acme.runneronly does not export package com.acme.runneronly of its configuration "
                        + "record Settings, so the runner cannot bind its configuration; add "
                        + "`exports com.acme.runneronly;` to its module-info.java");
        assertThat(registry.find(ExtensionKind.WORKLOAD, "hidden-source")).isEmpty();
        assertThat(registry.whyUnusable(ExtensionKind.WORKLOAD, "hidden-source")).contains(hidden);
        assertThat(registry.whyUnusable(ExtensionKind.WORKLOAD, "poisson")).isEmpty();
        // a configuration that selects it gets the same line, as a configuration problem
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigLoader(registry).bind(
                dev.servesim.runner.config.ConfigSource.parse(
                        "framework: {name: none}\nworkload: {source: hidden-source}\n", "t.yaml", false), "t"))
                .isInstanceOf(dev.servesim.api.ServesimException.class)
                .hasMessageContaining("t.yaml:2:12: workload.source: " + hidden)
                .satisfies(e -> assertThat(((dev.servesim.api.ServesimException) e).kind())
                        .isEqualTo(dev.servesim.api.ErrorKind.CONFIG));
    }

    @Test
    void anOpenedConfigurationPackageIsEnoughToBind(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        pluginWithDescriptor(plugins, "opened.jar", "com.acme.opened", "com.acme.opened", "opened-source",
                "opens com.acme.opened;");

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigLoader(registry).bind(
                dev.servesim.runner.config.ConfigSource.parse(
                        "framework: {name: none}\nworkload: {source: opened-source, n: 3}\n", "t.yaml", false),
                "t"))
                .hasMessageContaining("framework.name: unknown framework 'none'")
                .hasMessageNotContaining("workload");
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
