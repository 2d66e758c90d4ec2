package dev.servesim.testing.conformance;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.SimulationRunner;
import dev.servesim.testing.TestingPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one configuration as {@code servesim run} does - the runner binds and resolves it, wires the run and drives
 * it - with every plugin found through {@link java.util.ServiceLoader} wrapped in monitors ({@link CheckedPlugin})
 * and the kits' recording sink added.
 */
final class ConformanceRun {

    private ConformanceRun() {}

    /**
     * Writes {@code yaml} to {@code folder/name.yaml} and runs it into {@code folder/name}.
     *
     * @throws AssertionError naming the first contract violation if a monitor saw one, or the problem if a plugin
     *     was refused or the run failed
     */
    static Outcome run(Path folder, String name, String yaml) {
        Checks checks = new Checks();
        RecorderPlugin recorder = new RecorderPlugin();
        List<ServesimPlugin> plugins = new ArrayList<>();
        for (ServesimPlugin plugin : TestingPlugins.all()) {
            plugins.add(new CheckedPlugin(plugin, checks));
        }
        plugins.add(recorder);
        PluginRegistry registry = PluginRegistry.of(plugins);
        if (!registry.problems().isEmpty()) {
            throw new AssertionError("the runner refused a plugin: " + String.join("; ", registry.problems()));
        }
        Path output = folder.resolve(name);
        RunResult result;
        try {
            Path config = Files.writeString(folder.resolve(name + ".yaml"), yaml);
            RunConfiguration configuration = new ConfigLoader(registry).load(config, List.of());
            result = SimulationRunner.run(configuration, output, new RunControl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError(checks.firstViolation().orElse("run " + name + " failed: " + e.getMessage())
                    + "\n--- configuration ---\n" + yaml, e);
        }
        checks.firstViolation().ifPresent(violation -> {
            // a component swallowed the violation and the run went on: still a failure
            throw new AssertionError(violation + "\n--- configuration ---\n" + yaml);
        });
        return new Outcome(output, result.summary(), recorder.records(), recorder.steps(), checks);
    }
}
