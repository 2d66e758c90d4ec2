package dev.servesim.cli;

import dev.servesim.api.ApiVersion;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level {@code servesim} command. */
@Command(name = "servesim",
        mixinStandardHelpOptions = true,
        versionProvider = ServesimCommand.Version.class,
        description = "Discrete-event simulator of LLM inference serving.",
        subcommands = {RunCommand.class, ServeCommand.class, CompareCommand.class, MergeCommand.class, ValidateCommand.class, PluginsCommand.class,
                SchemaCommand.class, FidelityCommand.class, CalibrateCommand.class, NewPluginCommand.class,
                LoadgenCommand.class, PlanCommand.class, CommandLine.HelpCommand.class})
final class ServesimCommand implements Runnable {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: run, serve, compare, "
                + "validate, plugins, schema, fidelity, calibrate, new-plugin or loadgen");
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ServesimCommand());
        commandLine.setExecutionExceptionHandler(ServesimCommand::handle);
        commandLine.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException
                || (e instanceof ServesimException s && s.kind() == ErrorKind.CONFIG) ? EXIT_USAGE : EXIT_FAILURE);
        return commandLine;
    }

    private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = parseResult.hasMatchedOption("--verbose")
                || (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose"));
        if (e instanceof ServesimException servesim) {
            err.println("servesim: " + (servesim.kind() == ErrorKind.CONFIG ? "" : "error: ") + servesim.getMessage());
        } else {
            err.println("servesim: error: " + e);
        }
        if (verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof ServesimException s && (s.kind() == ErrorKind.CONFIG
                || s.kind() == ErrorKind.RESOURCE))) {
            err.println("servesim: run with --verbose for the stack trace");
        }
        err.flush();
        return e instanceof ServesimException s && s.kind() == ErrorKind.CONFIG ? EXIT_USAGE : EXIT_FAILURE;
    }

    /** {@code --version}: the distribution's version and the plugin API version. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ServesimCommand.class.getModule().getDescriptor() == null ? "development"
                    : ServesimCommand.class.getModule().getDescriptor().rawVersion().orElse("development");
            return new String[] {"servesim " + version + " (plugin API " + ApiVersion.CURRENT + ", Java "
                    + Runtime.version() + ")"};
        }
    }
}
