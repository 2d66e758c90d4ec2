package dev.servesim.cli;

import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.SimulationRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code servesim validate}. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a configuration without running it, and print it with every default filled in.",
                "It checks what run checks before simulating: files exist and their first lines parse, the model "
                        + "fits the GPUs, sink hosts resolve. Nothing is written."})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Run configuration (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a configuration key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RunConfiguration configuration = new ConfigLoader(common.registry()).load(config, overrides);
        // everything run checks before its first event: files exist and parse, the model fits, hosts resolve
        SimulationRunner.check(configuration, configuration.settings().outputDirectory());
        spec.commandLine().getOut().print(configuration.resolvedYaml());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println("servesim: " + config + " is valid");
        return 0;
    }
}
