package dev.servesim.cli;

import dev.servesim.calibration.Fidelity;
import dev.servesim.calibration.SimulationSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code servesim fidelity}: docs/fidelity.md. */
@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = {"Simulate every row of a runs file (the columns of ../shared/calibration/runs.csv) and compare "
                + "with the measured E2E, TTFT and ITL figures.",
                "Example: servesim fidelity --runs ../shared/calibration/runs.csv --seeds 3 --out runs/fidelity"})
final class FidelityCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "RUNS.csv", required = true,
            description = "Runs file; paths inside it are relative to its folder.")
    Path runs;

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
        String model = coefficients != null ? "physics" : stepTime;
        int threads = jobs != null ? Math.max(1, jobs) : Runtime.getRuntime().availableProcessors();
        SimulationSettings settings = new SimulationSettings(model, Optional.ofNullable(coefficients), seeds,
                durationScale, threads, promptPool.value, !noSustainableRate);
        new Fidelity(common.registry()).run(runs, settings, out, spec.commandLine().getOut());
        return 0;
    }
}
