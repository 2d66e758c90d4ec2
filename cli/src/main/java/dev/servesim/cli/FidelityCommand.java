package dev.servesim.cli;

import dev.servesim.calibration.Fidelity;
import dev.servesim.calibration.SimulationSettings;
import dev.servesim.calibration.TraceFidelity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code servesim fidelity}: docs/fidelity.md. */
@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = {"Simulate every row of a runs file (the columns of ../shared/calibration/runs.csv) and compare "
                + "with the measured E2E, TTFT and ITL figures; or replay a recorded trace (vllm-vcr JSONL, as "
                + "servesim loadgen writes) with a configuration and compare request by request.",
                "Example: servesim fidelity --runs ../shared/calibration/runs.csv --seeds 3 --out runs/fidelity",
                "Example: servesim fidelity --trace runs/loadgen/trace.jsonl --config examples/quickstart.yaml"})
final class FidelityCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "RUNS.csv",
            description = "Runs file; paths inside it are relative to its folder.")
    Path runs;

    @Option(names = "--trace", paramLabel = "TRACE.jsonl",
            description = "A recorded trace (vllm-vcr JSONL, .gz too) to replay open loop; needs --config.")
    Path trace;

    @Option(names = "--config", paramLabel = "CONFIG",
            description = "With --trace: the configuration to replay it with (its workload is replaced by the trace).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "With --trace: override a key of the configuration (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--coefficients", paramLabel = "FILE",
            description = "Physics coefficients file (implies --step-time physics). Default: the built-in ones.")
    Path coefficients;

    @Option(names = "--step-time", paramLabel = "MODEL", defaultValue = "physics",
            description = "Engine step-time model: roofline or physics. Default: ${DEFAULT-VALUE}.")
    String stepTime;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
            description = "Seeds per run; predictions are their mean. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--duration-scale", paramLabel = "F", defaultValue = "1",
            description = "Multiply every stage's duration by F in (0, 1] (fewer requests). Default: ${DEFAULT-VALUE}.")
    double durationScale;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/fidelity",
            description = "Folder for fidelity.json and fidelity.csv. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin
    PromptPoolOption promptPool;

    @Option(names = "--jobs", paramLabel = "N", description = "Simulations run at once. Default: the number of cores.")
    Integer jobs;

    @Option(names = "--no-sustainable-rate",
            description = "Skip the saturation check's sustainable rate (two short backlog simulations per run).")
    boolean noSustainableRate;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((runs == null) == (trace == null)) {
            throw new ParameterException(spec.commandLine(), "give --runs RUNS.csv, or --trace TRACE with --config "
                    + "CONFIG");
        }
        if (trace != null) {
            if (config == null) {
                throw new ParameterException(spec.commandLine(), "--trace needs --config CONFIG");
            }
            TraceFidelity.Result result = new TraceFidelity(common.registry()).run(trace, config, overrides, out);
            spec.commandLine().getOut().print(TraceFidelity.table(result));
            spec.commandLine().getOut().printf("results in %s: %s, and the replayed run in %s%n", out,
                    TraceFidelity.JSON_FILE, result.replay());
            return 0;
        }
        String model = coefficients != null ? "physics" : stepTime;
        int threads = jobs != null ? Math.max(1, jobs) : Runtime.getRuntime().availableProcessors();
        SimulationSettings settings = new SimulationSettings(model, Optional.ofNullable(coefficients), seeds,
                durationScale, threads, promptPool.value, !noSustainableRate);
        new Fidelity(common.registry()).run(runs, settings, out, spec.commandLine().getOut());
        return 0;
    }
}
