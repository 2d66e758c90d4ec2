package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ApiVersion;
import dev.servesim.api.ExtensionFactory;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.runner.plugin.PluginJars;
import dev.servesim.runner.plugin.PluginJars.Discovered;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Name-to-factory maps of every extension point, as Trino's managers keep them. Built-in plugins come from the
 * runner's own module layer; each jar (or folder of jars) in a plugins folder is loaded in a module layer of its own.
 * A plugin that cannot be loaded, was built for another major API version, reuses a factory name or has a
 * configuration record the runner cannot bind (see {@link ConfigAccess}) is reported and skipped; the others stay
 * usable. The names of a skipped plugin's factories are remembered with the reason, so that a configuration that
 * selects one is told why instead of only that the name is unknown.
 */
public final class PluginRegistry {

    private static final System.Logger LOG = System.getLogger(PluginRegistry.class.getName());

    private final List<PluginInfo> plugins = new ArrayList<>();
    private final Map<ExtensionKind, Map<String, RegisteredFactory>> factories = new EnumMap<>(ExtensionKind.class);
    private final List<String> problems = new ArrayList<>();
    private final Map<ExtensionKind, Map<String, String>> unusable = new EnumMap<>(ExtensionKind.class);

    private PluginRegistry() {
        for (ExtensionKind kind : ExtensionKind.values()) {
            factories.put(kind, new TreeMap<>());
            unusable.put(kind, new TreeMap<>());
        }
    }

    /** Discovers the built-in plugins and those in each of {@code pluginDirectories} that exists. */
    public static PluginRegistry discover(List<Path> pluginDirectories) {
        return discover(pluginDirectories, List.of());
    }

    /**
     * Discovers the built-in plugins, then registers {@code inProcess} (plugins a command brings along, e.g.
     * {@code servesim loadgen}'s {@code remote} framework), then those in each of {@code pluginDirectories} that
     * exists. A name taken earlier wins, as between plugin jars.
     */
    public static PluginRegistry discover(List<Path> pluginDirectories, List<ServesimPlugin> inProcess) {
        PluginRegistry registry = new PluginRegistry();
        for (Discovered discovered : PluginJars.builtIn()) {
            registry.register(discovered);
        }
        for (ServesimPlugin plugin : inProcess) {
            registry.register(new Discovered(plugin, plugin.getClass().getModule(), "in process", false));
        }
        for (Path directory : pluginDirectories) {
            PluginJars.fromDirectory(directory, registry::register, registry::problem);
        }
        return registry;
    }

    /** A registry of exactly the given plugins, for tests. */
    public static PluginRegistry of(List<ServesimPlugin> plugins) {
        PluginRegistry registry = new PluginRegistry();
        for (ServesimPlugin plugin : plugins) {
            registry.register(new Discovered(plugin, plugin.getClass().getModule(), "test", false));
        }
        return registry;
    }

    private void problem(String message) {
        LOG.log(Level.WARNING, message);
        problems.add(message);
    }

    private void register(Discovered discovered) {
        ServesimPlugin plugin = discovered.plugin();
        String where = discovered.location();
        ApiVersion version;
        Map<ExtensionKind, List<ExtensionFactory<?>>> offered = new EnumMap<>(ExtensionKind.class);
        String name;
        try {
            name = requireNonNull(plugin.name(), "plugin name is null");
            version = plugin.apiVersion();
            for (ExtensionKind kind : ExtensionKind.values()) {
                offered.put(kind, List.copyOf(kind.factoriesOf(plugin)));
            }
        } catch (RuntimeException | LinkageError e) {
            problem("plugin " + plugin.getClass().getName() + " (" + where + ") skipped: " + e);
            return;
        }
        String skipped = "plugin " + name + " (" + where + ") skipped: ";
        if (!ApiVersion.CURRENT.accepts(version)) {
            skip(skipped + "built for servesim API " + version + ", this runner provides API " + ApiVersion.CURRENT,
                    offered);
            return;
        }
        for (Map.Entry<ExtensionKind, List<ExtensionFactory<?>>> entry : offered.entrySet()) {
            for (ExtensionFactory<?> factory : entry.getValue()) {
                RegisteredFactory existing = factories.get(entry.getKey()).get(factory.name());
                if (existing != null) {
                    skip(skipped + entry.getKey().label() + " '" + factory.name() + "' is already registered by plugin "
                            + existing.plugin().name() + " (" + existing.plugin().location() + ")", offered);
                    return;
                }
                Optional<String> inaccessible = ConfigAccess.problem(entry.getKey(), factory);
                if (inaccessible.isPresent()) {
                    skip(skipped + inaccessible.get(), offered);
                    return;
                }
            }
        }
        Map<ExtensionKind, List<String>> names = new LinkedHashMap<>();
        offered.forEach((kind, list) -> names.put(kind, list.stream().map(ExtensionFactory::name).toList()));
        Module module = discovered.module();
        PluginInfo info = new PluginInfo(name,
                module.getDescriptor() == null ? "" : module.getDescriptor().rawVersion().orElse(""),
                module.isNamed() ? module.getName() : "(class path)", where, discovered.external(), names);
        plugins.add(info);
        offered.forEach((kind, list) -> list.forEach(
                factory -> factories.get(kind).put(factory.name(), new RegisteredFactory(kind, factory, info))));
        LOG.log(Level.DEBUG, () -> "registered plugin " + name + " " + info.version() + " (" + where + "): " + names);
    }

    private void skip(String message, Map<ExtensionKind, List<ExtensionFactory<?>>> offered) {
        problem(message);
        offered.forEach((kind, list) -> list.forEach(
                factory -> unusable.get(kind).putIfAbsent(factory.name(), message)));
    }

    /** Loaded plugins, built-in first, then external ones in folder order. */
    public List<PluginInfo> plugins() {
        return List.copyOf(plugins);
    }

    /** One line per plugin that was skipped, and why. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Factories of one kind, sorted by name. */
    public List<RegisteredFactory> factories(ExtensionKind kind) {
        return List.copyOf(factories.get(kind).values());
    }

    /** Names of one kind's factories, sorted. */
    public List<String> names(ExtensionKind kind) {
        return List.copyOf(factories.get(kind).keySet());
    }

    /** The factory of {@code kind} called {@code name}. */
    public Optional<RegisteredFactory> find(ExtensionKind kind, String name) {
        return Optional.ofNullable(factories.get(kind).get(name));
    }

    /**
     * Why no factory of {@code kind} is called {@code name} although a plugin offered one: the problem line of the
     * plugin that was skipped. Empty if the name is registered or no skipped plugin offered it.
     */
    public Optional<String> whyUnusable(ExtensionKind kind, String name) {
        return factories.get(kind).containsKey(name) ? Optional.empty()
                : Optional.ofNullable(unusable.get(kind).get(name));
    }
}
