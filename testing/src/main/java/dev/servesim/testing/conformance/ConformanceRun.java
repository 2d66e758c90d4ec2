package dev.servesim.testing.conformance;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.RunSummary;
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

    private final Checks checks = new Checks();
    private final RecorderPlugin recorder = new RecorderPlugin();
    private final Path folder;
    private final String name;
    private final String yaml;

    private ConformanceRun(Path folder, String name, String yaml) {
        this.folder = folder;
        this.name = name;
        this.yaml = yaml;
    }

    /** What a run that stopped with an error left: the error, the partial summary the sinks got, the monitors. */
    record Stopped(RuntimeException failure, RunSummary summary, Checks checks) {}

    /**
     * Writes {@code yaml} to {@code folder/name.yaml} and runs it into {@code folder/name}.
     *
     * @throws AssertionError naming the first contract violation if a monitor saw one, or the problem if a plugin
     *     was refused or the run failed
     */
    static Outcome run(Path folder, String name, String yaml) {
        ConformanceRun run = new ConformanceRun(folder, name, yaml);
        RunResult result;
        try {
            result = run.start();
        } catch (RuntimeException e) {
            throw new AssertionError(run.checks.firstViolation().orElse("run " + name + " failed: " + e.getMessage())
                    + run.configuration(), e);
        }
        run.failOnViolation();
        return new Outcome(result.outputDirectory(), result.summary(), run.recorder.records(),
                run.recorder.steps(), run.checks);
    }

    /**
     * Runs a configuration that must stop with an error (e.g. over a limit).
     *
     * @throws AssertionError if it ran to its end, or a monitor saw a contract violation
     */
    static Stopped runUntilItFails(Path folder, String name, String yaml) {
        ConformanceRun run = new ConformanceRun(folder, name, yaml);
        try {
            run.start();
        } catch (RuntimeException e) {
            run.failOnViolation();
            return new Stopped(e, run.recorder.summary(), run.checks);
        }
        throw new AssertionError("run " + name + " was expected to stop early, but it ended" + run.configuration());
    }

    private RunResult start() {
        List<ServesimPlugin> plugins = new ArrayList<>();
        for (ServesimPlugin plugin : TestingPlugins.all()) {
            plugins.add(new CheckedPlugin(plugin, checks));
        }
        plugins.add(recorder);
        PluginRegistry registry = PluginRegistry.of(plugins);
        if (!registry.problems().isEmpty()) {
            throw new AssertionError("the runner refused a plugin: " + String.join("; ", registry.problems()));
        }
        try {
            Path config = Files.writeString(folder.resolve(name + ".yaml"), yaml);
            RunConfiguration configuration = new ConfigLoader(registry).load(config, List.of());
            return SimulationRunner.run(configuration, folder.resolve(name), new RunControl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void failOnViolation() {
        // also when a component swallowed the violation and the run went on
        checks.firstViolation().ifPresent(violation -> {
            throw new AssertionError(violation + configuration());
        });
    }

    private String configuration() {
        return "\n--- configuration ---\n" + yaml;
    }
}
