package dev.servesim.runner.plugin;

import dev.servesim.api.ServesimPlugin;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds plugins: built-in ones through the runner's own {@link ServiceLoader}, and external ones by giving each jar
 * (or each sub-folder of jars, for a plugin with dependencies) of a plugins folder a module layer of its own whose
 * parent is the runner's layer - the JPMS counterpart of Trino's per-plugin class loader. An external plugin may use
 * {@code dev.servesim.api}, the JDK and its own jars only ({@link PluginIsolation}). A jar that uses anything else, or
 * cannot be resolved or instantiated, is reported by name and skipped.
 */
public final class PluginJars {

    /**
     * A plugin instance and where it came from.
     *
     * @param location jar or folder file name, or the module path entry of a built-in plugin
     */
    public record Discovered(ServesimPlugin plugin, Module module, String location, boolean external) {}

    private PluginJars() {}

    /** Plugins visible to the runner's own module (the distribution's {@code lib/}, or the class path). */
    public static List<Discovered> builtIn() {
        List<Discovered> found = new ArrayList<>();
        ServiceLoader<ServesimPlugin> loader = ServiceLoader.load(ServesimPlugin.class, PluginJars.class.getClassLoader());
        for (ServiceLoader.Provider<ServesimPlugin> provider : loader.stream().toList()) {
            Module module = provider.type().getModule();
            found.add(new Discovered(provider.get(), module, builtInLocation(module, provider.type()), false));
        }
        return found;
    }

    private static String builtInLocation(Module module, Class<?> type) {
        if (module.isNamed() && module.getLayer() != null) {
            return module.getLayer().configuration().findModule(module.getName())
                    .flatMap(resolved -> resolved.reference().location())
                    .map(uri -> fileName(uri.getPath()))
                    .orElse(module.getName());
        }
        var source = type.getProtectionDomain().getCodeSource();
        return source == null ? "class path" : fileName(source.getLocation().getPath());
    }

    private static String fileName(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /**
     * Loads every {@code *.jar} and every sub-folder of {@code directory}, in name order. Does nothing if the folder
     * does not exist.
     */
    public static void fromDirectory(Path directory, Consumer<Discovered> found, Consumer<String> problem) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(directory)) {
            entries = list.filter(path -> Files.isDirectory(path) || path.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problem.accept("cannot list plugins folder " + directory + ": " + e.getMessage());
            return;
        }
        ModuleLayer parent = PluginJars.class.getModule().getLayer() == null
                ? ModuleLayer.boot() : PluginJars.class.getModule().getLayer();
        PluginIsolation isolation = new PluginIsolation(parent.configuration());
        for (Path entry : entries) {
            loadEntry(entry, parent, isolation, found, problem);
        }
    }

    private static void loadEntry(Path entry, ModuleLayer parent, PluginIsolation isolation,
            Consumer<Discovered> found, Consumer<String> problem) {
        String name = entry.getFileName().toString();
        try {
            ModuleFinder finder = ModuleFinder.of(entry);
            Set<String> roots = finder.findAll().stream()
                    .map(reference -> reference.descriptor().name())
                    .collect(Collectors.toCollection(TreeSet::new));
            if (roots.isEmpty()) {
                problem.accept("plugin " + name + " skipped: no module or jar found in it");
                return;
            }
            Optional<String> violation = isolation.violation(finder);
            if (violation.isPresent()) {
                problem.accept("plugin " + name + " skipped: " + violation.get());
                return;
            }
            Configuration configuration = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            ModuleLayer layer = parent.defineModulesWithOneLoader(configuration, PluginJars.class.getClassLoader());
            List<Discovered> inLayer = new ArrayList<>();
            for (ServiceLoader.Provider<ServesimPlugin> provider
                    : ServiceLoader.load(layer, ServesimPlugin.class).stream().toList()) {
                Module module = provider.type().getModule();
                if (module.getLayer() == layer) {
                    inLayer.add(new Discovered(provider.get(), module, name, true));
                }
            }
            if (inLayer.isEmpty()) {
                problem.accept("plugin " + name + " skipped: it provides no dev.servesim.api.ServesimPlugin "
                        + "(module " + String.join(", ", roots) + ")");
                return;
            }
            inLayer.forEach(found);
        } catch (RuntimeException | LinkageError e) {
            // FindException, ResolutionException, LayerInstantiationException, ServiceConfigurationError, ...
            problem.accept("plugin " + name + " skipped: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ServiceConfigurationError && e.getCause() != null) {
            message += " (" + e.getCause() + ")";
        }
        return message;
    }

}
