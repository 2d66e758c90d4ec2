package dev.servesim.cli;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.loadgen.Loadgen;
import dev.servesim.loadgen.LoadgenResult;
import dev.servesim.loadgen.LoadgenSettings;
import dev.servesim.runner.RunControl;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code servesim loadgen}. */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = {"Drive an OpenAI-compatible server (vLLM, servesim serve, ...) with a configuration's workload, "
                + "in real time, and record what the client measured: summary.json, requests.csv and report.html as "
                + "for 'run', a vllm-vcr trace of the completed requests, and the deltas of the server's /metrics "
                + "counters (metrics-delta.json).",
                "Ctrl-C stops and still writes what was measured, marked partial (exit code 130)."})
final class LoadgenCommand implements Callable<Integer> {

    @Option(names = "--target", required = true, paramLabel = "URL",
            description = "The server's base URL, e.g. http://127.0.0.1:8000 (a trailing /v1 is fine).")
    String target;

    @Option(names = "--workload", required = true, paramLabel = "CONFIG",
            description = "Configuration whose workload (and run settings) drive the server; its framework, cluster "
                    + "and cache sections are replaced by the target.")
    Path workload;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder. Default: the config's 'output', else runs/<name>.")
    Path out;

    @Option(names = "--max-requests", paramLabel = "N",
            description = "Send at most N requests; stop once they have ended.")
    Long maxRequests;

    @Option(names = "--max-seconds", paramLabel = "S",
            description = "Stop after S seconds; requests still at the server end unfinished.")
    Double maxSeconds;

    @Option(names = "--model", paramLabel = "NAME",
            description = "Served model to request. Default: the first that GET /v1/models lists.")
    String model;

    @Option(names = "--api-key-env", paramLabel = "VARIABLE",
            description = "Environment variable holding the API key, sent as 'Authorization: Bearer' (never "
                    + "written to the results).")
    String apiKeyEnv;

    @Option(names = "--request-timeout", paramLabel = "S",
            description = "Give a request up (rejected) S seconds after it was sent. Default: 600.")
    Double requestTimeout;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "At most N requests at the server at once; more wait at the client. Default: 512.")
    Integer maxConnections;

    @Option(names = "--trace", paramLabel = "NAME",
            description = "File name of the trace in the output folder (.gz: gzip). Default: "
                    + LoadgenSettings.DEFAULT_TRACE + ".")
    String trace = LoadgenSettings.DEFAULT_TRACE;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Send N short requests first and leave them out of the results (as vLLM's bench serve "
                    + "--num-warmups): the first measured requests then carry no start-up costs. Default: 0.")
    int warmup;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the workload's random streams.")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a configuration key, e.g. --set workload.rate=4 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--quiet", description = "Print nothing but errors (no progress, no summary).")
    boolean quiet;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Loadgen loadgen = Loadgen.prepare(settings(), common.pluginDirectories());
        Path outputDirectory = out != null ? out : loadgen.configuration().settings().outputDirectory();
        if (!quiet) {
            err.println("servesim: loadgen: " + loadgen.configuration().workload().name() + " workload against "
                    + target + " (model " + loadgen.model() + "); Ctrl-C stops and keeps what was measured");
            err.flush();
        }
        RunControl control = new RunControl();
        ProgressReporter progress = quiet ? null : new ProgressReporter(control, err, System.console() != null);
        // on Ctrl-C the JVM waits until what was measured is written and printed
        InterruptHook onInterrupt = InterruptHook.install(control);
        try {
            LoadgenResult result;
            try {
                result = loadgen.run(outputDirectory, control);
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
            if (!quiet) {
                SummaryPrinter.print(spec.commandLine().getOut(), loadgen.configuration(), result.run());
                spec.commandLine().getOut().printf("  trace      %,d completed requests in %s%n",
                        result.traceRecords(), outputDirectory.resolve(trace));
                spec.commandLine().getOut().flush();
            }
            for (String note : result.notes()) {
                err.println("servesim: note: " + note);
            }
            if (result.stoppedAtLimit()) {
                err.println("servesim: loadgen: stopped once the " + maxRequests + " requests of --max-requests had "
                        + "ended");
            }
            return result.run().summary().partial() && !result.stoppedAtLimit() ? ServesimCommand.EXIT_INTERRUPTED
                    : 0;
        } finally {
            err.flush();
            onInterrupt.close();
        }
    }

    private LoadgenSettings settings() {
        String apiKey = "";
        if (apiKeyEnv != null) {
            String value = System.getenv(apiKeyEnv);
            if (value == null || value.isBlank()) {
                throw new ServesimException(ErrorKind.CONFIG, "--api-key-env: the environment variable " + apiKeyEnv
                        + " is not set");
            }
            apiKey = value.strip();
        }
        List<String> all = new ArrayList<>();
        if (requestTimeout != null) {
            all.add("framework.request_timeout=" + requestTimeout);
        }
        if (maxConnections != null) {
            all.add("framework.max_connections=" + maxConnections);
        }
        if (seed != null) {
            all.add("seed=" + seed);
        }
        all.addAll(overrides);
        return new LoadgenSettings(target, workload, all, model == null ? "" : model, apiKey,
                maxRequests == null ? OptionalLong.empty() : OptionalLong.of(maxRequests),
                maxSeconds == null ? OptionalDouble.empty() : OptionalDouble.of(maxSeconds), trace, warmup);
    }
}
