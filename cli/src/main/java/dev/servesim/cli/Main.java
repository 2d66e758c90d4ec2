package dev.servesim.cli;

import java.util.Arrays;
import picocli.CommandLine;

/** Entry point of {@code bin/servesim}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code: 0 success, 2 usage or configuration error, 1 failure. */
    public static int execute(String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        ConsoleLogging.install(verbose);
        try {
            return ServesimCommand.commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // outside a run (which reports its own): reading a huge configuration, say
            System.err.println("servesim: error: out of memory (the JVM may use " + (Runtime.getRuntime().maxMemory()
                    >> 20) + " MB); give it more with SERVESIM_JAVA_OPTS=-Xmx<size>");
            if (verbose) {
                e.printStackTrace();
            }
            return ServesimCommand.EXIT_FAILURE;
        }
    }
}
