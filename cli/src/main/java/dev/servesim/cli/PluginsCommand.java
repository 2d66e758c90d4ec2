package dev.servesim.cli;

import dev.servesim.runner.ExtensionKind;
import dev.servesim.runner.PluginInfo;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RegisteredFactory;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code servesim plugins}. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every provider of every extension point, with its plugin, module and jar, and every "
                + "plugin that was skipped, and why.")
final class PluginsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = common.registry();
        PrintWriter out = spec.commandLine().getOut();
        for (ExtensionKind kind : ExtensionKind.values()) {
            out.println(capitalized(kind.plural()) + " (" + kind.section() + "." + kind.selector() + "):");
            for (RegisteredFactory factory : registry.factories(kind)) {
                PluginInfo plugin = factory.plugin();
                out.printf("  %-16s %s%n", factory.name(), factory.factory().description());
                out.printf("  %-16s plugin %s, module %s%s, %s%s%n", "", plugin.name(), plugin.module(),
                        plugin.version().isEmpty() ? "" : " " + plugin.version(), plugin.location(),
                        plugin.external() ? " (plugins folder)" : "");
            }
            if (registry.factories(kind).isEmpty()) {
                out.println("  (none)");
            }
            out.println();
        }
        // each problem was logged as a warning when the plugins were loaded; the listing repeats them so that it
        // says by itself what is missing and why
        if (!registry.problems().isEmpty()) {
            out.println("Skipped:");
            registry.problems().forEach(problem -> out.println("  " + problem));
        }
        out.flush();
        return 0;
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
