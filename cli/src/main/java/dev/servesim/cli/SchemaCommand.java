package dev.servesim.cli;

import dev.servesim.runner.ConfigSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code servesim schema}. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema of the configuration, plugin sections included.",
                "Editors use it to complete and check YAML (e.g. '# yaml-language-server: $schema=servesim.schema.json')."})
final class SchemaCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigSchema.generate(common.registry()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
