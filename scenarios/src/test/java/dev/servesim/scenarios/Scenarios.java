package dev.servesim.scenarios;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.SimulationRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs a configuration through the real runner with every built-in plugin, as {@code servesim run} does. */
final class Scenarios {

    private static final PluginRegistry REGISTRY = PluginRegistry.discover(List.of());

    private Scenarios() {}

    /** Writes {@code yaml} into {@code folder}, runs it with {@code overrides} and returns the result. */
    static RunResult run(Path folder, String name, String yaml, String... overrides) throws IOException {
        Path config = Files.writeString(folder.resolve(name + ".yaml"), yaml);
        RunConfiguration configuration = new ConfigLoader(REGISTRY).load(config, List.of(overrides));
        return SimulationRunner.run(configuration, folder.resolve(name), new RunControl());
    }

    /** As {@link #run(Path, String, String, String...)}, with an in-process plugin beside the built-in ones. */
    static RunResult run(Path folder, String name, String yaml, ServesimPlugin plugin, String... overrides)
            throws IOException {
        Path config = Files.writeString(folder.resolve(name + ".yaml"), yaml);
        RunConfiguration configuration = new ConfigLoader(PluginRegistry.discover(List.of(), List.of(plugin)))
                .load(config, List.of(overrides));
        return SimulationRunner.run(configuration, folder.resolve(name), new RunControl());
    }
}
