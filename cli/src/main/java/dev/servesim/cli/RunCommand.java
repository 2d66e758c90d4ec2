package dev.servesim.cli;

import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.ExtensionKind;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.SimulationRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code servesim run}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Simulate a configuration and write its results.",
                "Ctrl-C stops the run and still writes what was gathered, marked partial (exit code 130)."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Run configuration (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: the config's 'output', else runs/<name>.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random stream (overrides 'seed').")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a configuration key, e.g. --set framework.max_num_seqs=64 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--dump-trace", paramLabel = "FILE",
            description = "Also write the run as a trace in servesim's JSONL format (measured TTFT, ITL, cached "
                    + "tokens), which the 'trace' workload source replays.")
    Path dumpTrace;

    @Option(names = "--timeline", description = "Also write timeline.json: requests, their phases and engine steps per "
            + "replica as Chrome Trace Event JSON, to open in ui.perfetto.dev (adds sink 'timeline' unless the "
            + "configuration lists it).")
    boolean timeline;

    @Option(names = "--pace", paramLabel = "X",
            description = "Run simulated time at X times wall-clock time (1 = real time), for live dashboards.")
    Double pace;

    @Option(names = "--hold", description = "After the run, keep sinks such as the Prometheus endpoint serving "
            + "until interrupted (Ctrl-C), so a final scrape sees the totals.")
    boolean hold;

    @Option(names = "--quiet", description = "Print nothing but errors (no progress, no summary).")
    boolean quiet;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = common.registry();
        List<String> allOverrides = new ArrayList<>(overrides);
        if (pace != null) {
            allOverrides.add("pace=" + pace);
        }
        ConfigLoader loader = new ConfigLoader(registry);
        RunConfiguration loaded = loader.load(config, allOverrides);
        if (dumpTrace != null) {
            loaded = loaded.withSink(loader.component(ExtensionKind.SINK, "trace-dump",
                    Map.of("file", dumpTrace.toAbsolutePath().toString()), "--dump-trace"));
        }
        if (timeline && loaded.sinks().stream().noneMatch(sink -> sink.name().equals("timeline"))) {
            loaded = loaded.withSink(loader.component(ExtensionKind.SINK, "timeline", Map.of(), "--timeline"));
        }
        RunConfiguration configuration = seed == null ? loaded : loaded.withSeed(seed);
        Path outputDirectory = out != null ? out : configuration.settings().outputDirectory();

        RunControl control = new RunControl();
        ProgressReporter progress = quiet ? null
                : new ProgressReporter(control, spec.commandLine().getErr(), System.console() != null);
        if (hold) {
            control.holdAfterRun(finished -> {
                if (progress != null) {
                    // the figures stop changing: no progress line repeats them during the hold
                    progress.close();
                }
                if (!quiet) {
                    SummaryPrinter.print(spec.commandLine().getOut(), configuration, finished);
                    spec.commandLine().getOut().flush();
                }
                spec.commandLine().getErr().println("servesim: run finished; holding sinks open until interrupted "
                        + "(Ctrl-C)");
                spec.commandLine().getErr().flush();
            });
        }
        // on Ctrl-C the JVM waits until the partial results are written and the summary printed (piped or not)
        InterruptHook onInterrupt = InterruptHook.install(control);
        try {
            RunResult result;
            try {
                result = SimulationRunner.run(configuration, outputDirectory, control);
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
            if (!hold && !quiet) {
                SummaryPrinter.print(spec.commandLine().getOut(), configuration, result);
                spec.commandLine().getOut().flush();
            }
            // after a hold the results are complete unless the run itself was cut short
            return result.summary().partial() ? ServesimCommand.EXIT_INTERRUPTED : 0;
        } finally {
            spec.commandLine().getErr().flush();
            onInterrupt.close();
        }
    }
}
