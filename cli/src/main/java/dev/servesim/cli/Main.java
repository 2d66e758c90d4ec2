package dev.servesim.cli;

import picocli.CommandLine;

/** Entry point of {@code bin/servesim}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code: 0 success, 2 usage or configuration error, 1 failure. */
    public static int execute(String... args) {
        ConsoleLogging.install(java.util.Arrays.asList(args).contains("--verbose"));
        return ServesimCommand.commandLine().execute(args);
    }
}
