package dev.servesim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the servesim command line in-process, capturing what it prints. */
final class TestingCommandLine {

    /** What one command did: its exit code and what it printed on each stream. */
    record Result(int exitCode, String out, String err) {}

    private TestingCommandLine() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ServesimCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
