package dev.servesim.runner.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a plugin from a plugins folder may use: {@code dev.servesim.api}, the JDK and the jars of its own folder, as
 * Trino's plugin class loader exposes only the SPI. A plugin's module layer is resolved against the runner's, which
 * also holds Guice, Jackson, picocli, Micrometer, Jetty and servesim's own modules, so these rules are checked before
 * the layer is created: an explicit module must not {@code require} any of them, and an automatic module (a jar
 * without a module descriptor, which reads every module) must not refer to their packages in its class files.
 */
final class PluginIsolation {

    private static final String API_MODULE = "dev.servesim.api";
    private static final String RULE = "which plugins cannot see; plugins may use dev.servesim.api, the JDK and their "
            + "own jars";
    // libraries of the runner that no module names when the runner itself runs from the class path (an IDE)
    private static final List<String> RUNNER_PACKAGE_PREFIXES = List.of("com.google.inject.", "com.google.common.",
            "com.fasterxml.jackson.", "org.yaml.snakeyaml.", "picocli.", "io.micrometer.", "io.prometheus.",
            "org.eclipse.jetty.", "jakarta.inject.", "it.unimi.dsi.fastutil.", "org.HdrHistogram.", "dev.servesim.");

    /** Package to module, for every package of the runner's layers that plugins cannot see. */
    private final Map<String, String> hiddenPackages = new HashMap<>();
    private final Set<String> hiddenModules = new TreeSet<>();

    /** The rules for plugins whose layers have {@code runnerConfiguration} as parent. */
    PluginIsolation(Configuration runnerConfiguration) {
        Deque<Configuration> pending = new ArrayDeque<>(List.of(runnerConfiguration));
        while (!pending.isEmpty()) {
            Configuration configuration = pending.pop();
            for (ResolvedModule module : configuration.modules()) {
                if (!module.name().equals(API_MODULE) && !isJdk(module.reference())) {
                    hiddenModules.add(module.name());
                    for (String pkg : module.reference().descriptor().packages()) {
                        hiddenPackages.putIfAbsent(pkg, module.name());
                    }
                }
            }
            pending.addAll(configuration.parents());
        }
    }

    private static boolean isJdk(ModuleReference reference) {
        return reference.location().map(uri -> "jrt".equals(uri.getScheme())).orElse(false);
    }

    /**
     * Why the modules of {@code plugin} may not be loaded, as a clause such as {@code it uses com.google.inject
     * (module com.google.guice), which plugins cannot see; ...}; empty if they may.
     *
     * @throws UncheckedIOException if a jar cannot be read
     * @throws IllegalArgumentException if a jar holds a file named {@code .class} that is no class file
     */
    Optional<String> violation(ModuleFinder plugin) {
        List<ModuleReference> modules = plugin.findAll().stream()
                .sorted(Comparator.comparing(reference -> reference.descriptor().name()))
                .toList();
        Set<String> ownModules = new TreeSet<>();
        Set<String> ownPackages = new TreeSet<>();
        for (ModuleReference module : modules) {
            ownModules.add(module.descriptor().name());
            ownPackages.addAll(module.descriptor().packages());
        }
        for (ModuleReference module : modules) {
            ModuleDescriptor descriptor = module.descriptor();
            if (descriptor.isAutomatic()) {
                for (String pkg : referencedPackages(module)) {
                    if (!ownPackages.contains(pkg)) {
                        Optional<String> owner = hiddenOwner(pkg);
                        if (owner.isPresent()) {
                            return Optional.of("it uses " + pkg + " (" + owner.get() + "), " + RULE);
                        }
                    }
                }
                continue;
            }
            for (ModuleDescriptor.Requires requires : new TreeSet<>(descriptor.requires())) {
                String required = requires.name();
                if (!ownModules.contains(required) && hiddenModules.contains(required)) {
                    for (String pkg : referencedPackages(module)) {
                        if (required.equals(hiddenPackages.get(pkg))) {
                            return Optional.of("it uses " + pkg + " (module " + required + "), " + RULE);
                        }
                    }
                    return Optional.of("it requires module " + required + ", " + RULE);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> hiddenOwner(String pkg) {
        if (pkg.equals(API_MODULE) || pkg.startsWith(API_MODULE + ".")) {
            return Optional.empty();
        }
        String module = hiddenPackages.get(pkg);
        if (module != null) {
            return Optional.of("module " + module);
        }
        for (String prefix : RUNNER_PACKAGE_PREFIXES) {
            if ((pkg + ".").startsWith(prefix)) {
                return Optional.of("a library of the runner");
            }
        }
        return Optional.empty();
    }

    /** The packages the class files of {@code module} refer to, sorted. */
    private static Set<String> referencedPackages(ModuleReference module) {
        Set<String> packages = new TreeSet<>();
        try (ModuleReader reader = module.open()) {
            List<String> classFiles = reader.list()
                    .filter(name -> name.endsWith(".class") && !name.endsWith("module-info.class"))
                    .sorted()
                    .toList();
            for (String name : classFiles) {
                Optional<InputStream> opened = reader.open(name);
                if (opened.isEmpty()) {
                    continue;
                }
                try (InputStream in = opened.get()) {
                    ClassFileReferences.addPackages(in.readAllBytes(), packages);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + " is not a valid class file (" + e.getMessage() + ")", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + module.descriptor().name() + ": " + e.getMessage(), e);
        }
        return packages;
    }
}
