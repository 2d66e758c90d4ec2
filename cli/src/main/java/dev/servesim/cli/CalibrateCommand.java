package dev.servesim.cli;

import dev.servesim.calibration.CalibrationOptions;
import dev.servesim.calibration.Calibrator;
import dev.servesim.calibration.HoldoutSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code servesim calibrate}: docs/fidelity.md. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit the vllm engine's physics step-time coefficients (one global set: fixed costs and "
                + "efficiencies, bounded by the hardware's peaks) to a runs file with CMA-ES; cross-validate, "
                + "bootstrap and pin what the runs cannot identify.",
                "Example: servesim calibrate --runs ../shared/calibration/runs.csv --out coefficients.properties"})
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "RUNS.csv", required = true,
            description = "Runs file; paths inside it are relative to its folder.")
    Path runs;

    @Option(names = "--out", paramLabel = "COEFFS.properties", required = true,
            description = "Coefficients file to write (the format of the engine's 'coefficients' key).")
    Path out;

    @Option(names = "--holdout-by", paramLabel = "SPLIT", split = ",",
            description = "Cross-validate first, reporting the held-out errors: 'model' (leave one model out),"
                    + " 'family' (leave one architecture family out), 'size' (fit on models up to 12.5 B parameters,"
                    + " predict the larger), 'tp' (fit on TP 1 runs, predict TP > 1); several, comma-separated.")
    List<String> holdoutBy = new ArrayList<>();

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

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "20",
            description = "Resamples of the runs for each coefficient's 90%% interval; a coefficient whose interval"
                    + " spans more than 2x is pinned to its physical default. 0: none. Default: ${DEFAULT-VALUE}.")
    int bootstrap;

    @Option(names = "--prior-weight", paramLabel = "W", defaultValue = "0.5",
            description = "Pull toward the physical defaults (docs/fidelity.md). Default: ${DEFAULT-VALUE}.")
    double priorWeight;

    @Option(names = "--jobs", paramLabel = "N", description = "Simulations run at once. Default: the number of cores.")
    Integer jobs;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<HoldoutSplit> splits = new ArrayList<>();
        for (String text : holdoutBy) {
            try {
                HoldoutSplit split = HoldoutSplit.of(text);
                if (!splits.contains(split)) {
                    splits.add(split);
                }
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--holdout-by: " + e.getMessage());
            }
        }
        if (bootstrap < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--bootstrap: must be 0 or more, got "
                    + bootstrap);
        }
        if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--prior-weight: must be 0 or more,"
                    + " got " + priorWeight);
        }
        int threads = jobs != null ? Math.max(1, jobs) : Runtime.getRuntime().availableProcessors();
        CalibrationOptions options = new CalibrationOptions(runs, out, maxEvaluations, seeds, durationScale, splits,
                bootstrap, priorWeight, threads, optimizerSeed, promptPool.value);
        new Calibrator(common.registry(), spec.commandLine().getOut()).run(options);
        return 0;
    }
}
