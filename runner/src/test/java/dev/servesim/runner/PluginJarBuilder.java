package dev.servesim.runner;

import dev.servesim.api.ServesimPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles plugin sources against the api module and packs them into a jar, as a third party would. */
final class PluginJarBuilder {

    private PluginJarBuilder() {}

    /**
     * Compiles {@code sources} (path inside the jar, e.g. {@code module-info.java} or {@code p/A.java}, to text)
     * and writes the classes plus {@code resources} to {@code jar}.
     */
    static Path build(Path jar, Map<String, String> sources, Map<String, String> resources, Path... modulePath)
            throws IOException {
        Path work = Files.createTempDirectory("servesim-plugin-src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = work.resolve("src").resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        boolean modular = sources.containsKey("module-info.java");
        StringBuilder path = new StringBuilder(apiLocation().toString());
        for (Path entry : modulePath) {
            path.append(java.io.File.pathSeparator).append(entry);
        }
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
                modular ? "--module-path" : "--class-path", path.toString()));
        arguments.addAll(files);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        var errors = new java.io.ByteArrayOutputStream();
        boolean ok = compiler.run(null, errors, errors, arguments.toArray(String[]::new)) == 0;
        if (!ok) {
            throw new IllegalStateException("plugin sources do not compile: " + errors);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                out.putNextEntry(new JarEntry(resource.getKey()));
                out.write(resource.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Where the api module was loaded from (its jar, or its classes folder in a reactor build). */
    static Path apiLocation() {
        return locationOf(ServesimPlugin.class);
    }

    /** The jar or classes folder {@code type} was loaded from, e.g. Guice's jar for {@code Injector.class}. */
    static Path locationOf(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed() && module.getLayer() != null) {
            return module.getLayer().configuration().findModule(module.getName())
                    .flatMap(resolved -> resolved.reference().location()).map(Path::of).orElseThrow();
        }
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Source of a plugin class offering one workload source called {@code factoryName}. */
    static String workloadPlugin(String pkg, String pluginName, String factoryName, String apiVersionOverride) {
        return """
                package %1$s;

                import dev.servesim.api.ApiVersion;
                import dev.servesim.api.ServesimPlugin;
                import dev.servesim.api.workload.WorkloadContext;
                import dev.servesim.api.workload.WorkloadSource;
                import dev.servesim.api.workload.WorkloadSourceFactory;
                import java.util.List;

                public final class ThePlugin implements ServesimPlugin {
                    public record Settings(Integer n) {}

                    @Override public String name() { return "%2$s"; }
                    %4$s
                    @Override public List<WorkloadSourceFactory<?>> workloadSourceFactories() {
                        return List.of(new WorkloadSourceFactory<Settings>() {
                            @Override public String name() { return "%3$s"; }
                            @Override public String description() { return "from a jar"; }
                            @Override public Class<Settings> configType() { return Settings.class; }
                            @Override public WorkloadSource create(Settings c, WorkloadContext context) {
                                return () -> { };
                            }
                        });
                    }
                }
                """.formatted(pkg, pluginName, factoryName, apiVersionOverride);
    }
}
