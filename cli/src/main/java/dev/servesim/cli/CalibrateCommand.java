package dev.servesim.cli;

import dev.servesim.calibration.CalibrationOptions;
import dev.servesim.calibration.Calibrator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code servesim calibrate}: docs/fidelity.md. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit the vllm engine's physics step-time coefficients (one global set) to a runs file with "
                + "CMA-ES, printing the loss as it goes.",
                "Example: servesim calibrate --runs ../shared/calibration/runs.csv --out coefficients.properties"})
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "RUNS.csv", required = true,
            description = "Runs file; paths inside it are relative to its folder.")
    Path runs;

    @Option(names = "--out", paramLabel = "COEFFS.properties", required = true,
            description = "Coefficients file to write (the format of the engine's 'coefficients' key).")
    Path out;

    @Option(names = "--holdout-by", paramLabel = "model",
            description = "'model': leave-one-model-out cross-validation first, reporting the held-out errors.")
    String holdoutBy;

    @Option(names = "--max-evaluations", paramLabel = "N", defaultValue = "150",
            description = "Loss evaluations per fit. Default: ${DEFAULT-VALUE}.")
    int maxEvaluations;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "Seeds per run while fitting. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--duration-scale", paramLabel = "F", defaultValue = "0.25",
            description = "Multiply every stage's duration by F in (0, 1] while fitting. Default: ${DEFAULT-VALUE}.")
    double durationScale;

    @Option(names = "--optimizer-seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of CMA-ES's random draws. Default: ${DEFAULT-VALUE}.")
    long optimizerSeed;

    @Mixin
    PromptPoolOption promptPool;

    @Option(names = "--peak-floor",
            description = "Keep the coefficients that scale a time at the hardware's peak (compute, memory, all-reduce)"
                    + " at 1 or more: no kernel faster than its peak. Default: off (docs/fidelity.md).")
    boolean peakFloor;

    @Option(names = "--jobs", paramLabel = "N", description = "Simulations run at once. Default: the number of cores.")
    Integer jobs;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (holdoutBy != null && !holdoutBy.equals("model")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--holdout-by: only 'model' is supported, got '" + holdoutBy + "'");
        }
        int threads = jobs != null ? Math.max(1, jobs) : Runtime.getRuntime().availableProcessors();
        CalibrationOptions options = new CalibrationOptions(runs, out, maxEvaluations, seeds, durationScale,
                holdoutBy != null, threads, optimizerSeed, promptPool.value, peakFloor);
        new Calibrator(common.registry(), spec.commandLine().getOut()).run(options);
        return 0;
    }
}
