package dev.servesim.cli;

import static dev.servesim.cli.TestingCommandLine.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.cli.TestingCommandLine.Result;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code servesim new-plugin} against a stand-in sdk. The generated sources of every kind are compiled here, as Maven
 * would (main sources as a module against the api, tests against the fixtures), with every lint warning an error;
 * the distribution's SdkIT builds generated projects with Maven against the real sdk and runs them.
 */
class NewPluginCommandTest {

    private static final String SDK_VERSION = "9.8.7";
    /** The section each kind's conformance test gives its kit: what the example run writes to select the plugin. */
    private static final Map<String, String> SECTIONS = Map.of("cache", "{strategy: %s}", "router", "{name: %s}",
            "engine", "{name: %s}", "workload", "{source: %s}", "sink", "{name: %s}");

    private static Path sdk(Path folder) throws IOException {
        Path sdk = folder.resolve("sdk");
        Files.createDirectories(sdk.resolve("repository/dev/servesim/servesim-plugin-parent/" + SDK_VERSION));
        return sdk;
    }

    private static Result newPlugin(Path folder, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("new-plugin", "--sdk", sdk(folder).toString()));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cache", "router", "engine", "workload", "sink"})
    void writesAProjectWhoseSourcesCompileWithoutWarnings(String kind, @TempDir Path folder) throws Exception {
        Path project = folder.resolve("my-" + kind);
        Result result = newPlugin(folder, "--kind", kind, "--name", "my-" + kind, "--dir", project.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("cd " + project, "mvn -o package",
                "cp target/my-" + kind + "-0.1.0-SNAPSHOT.jar ", " run my-" + kind + ".yaml");
        String pkg = "com.example.my" + kind;
        String prefix = "My" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
        String sources = "src/main/java/" + pkg.replace('.', '/') + "/";
        assertThat(files(project)).contains("pom.xml", ".mvn/maven.config", ".gitignore", "README.md",
                "my-" + kind + ".yaml", "src/main/java/module-info.java", sources + prefix + "Plugin.java",
                sources + "config/" + prefix + "Config.java",
                "src/test/java/" + pkg.replace('.', '/') + "/" + prefix + "PluginTest.java",
                "src/test/java/" + pkg.replace('.', '/') + "/" + prefix + "ConformanceTest.java").hasSize(12);
        String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>servesim-plugin-parent</artifactId>", "<version>" + SDK_VERSION
                + "</version>", "<url>" + folder.resolve("sdk/repository").toUri() + "</url>",
                "<artifactId>my-" + kind + "</artifactId>", "<groupId>" + pkg + "</groupId>",
                "<artifactId>servesim-engine-vllm</artifactId>", "<artifactId>servesim-cache-strategies</artifactId>",
                "<artifactId>servesim-workload</artifactId>", "<artifactId>servesim-routers</artifactId>");
        assertThat(Files.readString(project.resolve("src/main/java/module-info.java"))).contains(
                "module " + pkg + " {", "exports " + pkg + ".config;",
                "provides dev.servesim.api.ServesimPlugin with " + pkg + "." + prefix + "Plugin;");
        assertThat(Files.readString(project.resolve(".mvn/maven.config")).strip())
                .isEqualTo("-Daether.offline.protocols=file");
        assertThat(Files.readString(project.resolve("my-" + kind + ".yaml"))).contains("my-" + kind);
        // the kit gets the section as the example run selects the plugin, and the README says so
        String section = SECTIONS.get(kind).formatted("my-" + kind);
        assertThat(Files.readString(project.resolve("src/test/java/" + pkg.replace('.', '/') + "/" + prefix
                + "ConformanceTest.java"))).contains("return \"" + section + "\";");
        assertThat(Files.readString(project.resolve("README.md"))).contains(prefix + "ConformanceTest",
                "`" + section + "`");
        for (Path file : walk(project)) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContain("{{");
        }

        compile(project, folder.resolve("classes"));
    }

    @Test
    void anotherPackageNamesTheModuleAndTheFolders(@TempDir Path folder) throws Exception {
        Path project = folder.resolve("p");
        Result result = newPlugin(folder, "--kind", "router", "--name", "sticky-sessions", "--package",
                "org.acme.routing", "--dir", project.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(project.resolve("src/main/java/org/acme/routing/StickySessionsRouter.java")).exists();
        assertThat(project.resolve("src/main/java/org/acme/routing/config/StickySessionsConfig.java")).exists();
        assertThat(Files.readString(project.resolve("src/main/java/module-info.java")))
                .contains("module org.acme.routing {", "exports org.acme.routing.config;");
    }

    @Test
    void namesThatCannotBeFactoryNamesOrJavaNamesAreRefused(@TempDir Path folder) throws Exception {
        for (String name : List.of("My-Cache", "my_cache", "1cache", "cache2", "-cache", "cache-", "my--cache",
                "a".repeat(41))) {
            Result result = newPlugin(folder, "--kind", "cache", "--name", name, "--dir",
                    folder.resolve("x").toString());
            assertThat(result.exitCode()).as(name).isEqualTo(2);
            assertThat(result.err()).as(name).contains("--name must be kebab-case");
        }
        Result keyword = newPlugin(folder, "--kind", "cache", "--name", "int", "--dir", folder.resolve("x").toString());
        assertThat(keyword.exitCode()).isEqualTo(2);
        assertThat(keyword.err()).contains("'com.example.int' is not a lowercase Java package name");
        Result badPackage = newPlugin(folder, "--kind", "cache", "--name", "fine", "--package", "Org.Acme", "--dir",
                folder.resolve("x").toString());
        assertThat(badPackage.exitCode()).isEqualTo(2);
        // ServingEngine is an api type the engine's code uses
        Result clash = newPlugin(folder, "--kind", "engine", "--name", "serving", "--dir",
                folder.resolve("x").toString());
        assertThat(clash.exitCode()).isEqualTo(2);
        assertThat(clash.err()).contains("would give classes the names of types their code uses (ServingEngine, "
                + "ServingEngineFactory)");
        Result kind = newPlugin(folder, "--kind", "scheduler", "--name", "fine", "--dir", folder.resolve("x").toString());
        assertThat(kind.exitCode()).isEqualTo(2);
        assertThat(kind.err()).contains("--kind must be cache, router, engine, workload or sink, got 'scheduler'");
        assertThat(folder.resolve("x")).doesNotExist();
    }

    @Test
    void aFolderThatIsNotEmptyIsRefusedAndLeftAlone(@TempDir Path folder) throws Exception {
        Path project = Files.createDirectories(folder.resolve("taken"));
        Files.writeString(project.resolve("notes.txt"), "mine");

        Result result = newPlugin(folder, "--kind", "sink", "--name", "my-sink", "--dir", project.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("servesim: " + project
                + ": the folder is not empty; choose another --dir (new-plugin never overwrites files)");
        assertThat(files(project)).containsExactly("notes.txt");

        Path file = Files.writeString(folder.resolve("a-file"), "");
        assertThat(newPlugin(folder, "--kind", "sink", "--name", "my-sink", "--dir", file.toString()).exitCode())
                .isEqualTo(2);
        // an empty folder is fine
        Path empty = Files.createDirectories(folder.resolve("empty"));
        assertThat(newPlugin(folder, "--kind", "sink", "--name", "my-sink", "--dir", empty.toString()).exitCode())
                .isZero();
    }

    @Test
    void withoutAnSdkItSaysWhereToFindOne(@TempDir Path folder) {
        Result result = run("new-plugin", "--kind", "cache", "--name", "my-cache", "--dir",
                folder.resolve("p").toString(), "--sdk", folder.resolve("nowhere").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nowhere: not a servesim sdk", "pass --sdk");
        assertThat(folder.resolve("p")).doesNotExist();
    }

    private static List<Path> walk(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<String> files(Path folder) throws IOException {
        return walk(folder).stream().map(file -> folder.relativize(file).toString().replace(File.separatorChar, '/'))
                .toList();
    }

    /** Compiles the project's main sources as a module on the api, then its tests on the class path, as Maven does. */
    private static void compile(Path project, Path classes) throws Exception {
        Path main = classes.resolve("main");
        Path test = classes.resolve("test");
        javac(project.resolve("src/main/java"), List.of("-d", main.toString(), "--module-path",
                location(ServesimPlugin.class)));
        List<String> classPath = new ArrayList<>(List.of(main.toString(), location(ServesimPlugin.class)));
        for (String type : List.of("dev.servesim.core.Simulation", "dev.servesim.testing.TestingPlugins",
                "dev.servesim.runner.SimulationRunner",
                "org.junit.jupiter.api.Test", "org.junit.jupiter.api.io.TempDir",
                "org.junit.platform.commons.annotation.Testable", "org.opentest4j.AssertionFailedError",
                "org.apiguardian.api.API", "org.assertj.core.api.Assertions")) {
            classPath.add(location(Class.forName(type)));
        }
        javac(project.resolve("src/test/java"), List.of("-d", test.toString(), "--class-path",
                String.join(File.pathSeparator, classPath)));
    }

    private static void javac(Path sources, List<String> options) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror"));
        arguments.addAll(options);
        walk(sources).forEach(file -> arguments.add(file.toString()));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code = compiler.run(null, output, output, arguments.toArray(String[]::new));
        assertThat(code).as(sources + ":\n" + output.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8)).as(sources.toString()).isEmpty();
    }

    /** The jar or classes folder a type was loaded from, whether from the module path or the class path. */
    private static String location(Class<?> type) throws URISyntaxException {
        Module module = type.getModule();
        if (module.isNamed() && module.getLayer() != null) {
            return module.getLayer().configuration().findModule(module.getName())
                    .flatMap(resolved -> resolved.reference().location()).map(Path::of).orElseThrow().toString();
        }
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
