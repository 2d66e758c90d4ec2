package dev.servesim.cli;

import dev.servesim.runner.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {

    /** Set by the launcher: the distribution's folder, whose {@code plugins/} is searched by default. */
    static final String HOME_PROPERTY = "servesim.home";

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Folder of plugin jars to load (repeatable). Default: the distribution's plugins/ folder.")
    List<Path> pluginDirectories = new ArrayList<>();

    @Option(names = "--verbose", description = "Log more, and print stack traces of errors.")
    boolean verbose;

    PluginRegistry registry() {
        return PluginRegistry.discover(pluginDirectories());
    }

    /** The folders of plugin jars: those given, else the distribution's {@code plugins/}. */
    List<Path> pluginDirectories() {
        List<Path> directories = new ArrayList<>(pluginDirectories);
        if (directories.isEmpty()) {
            String home = System.getProperty(HOME_PROPERTY);
            if (home != null && !home.isBlank()) {
                directories.add(Path.of(home, "plugins"));
            }
        }
        return directories;
    }
}
