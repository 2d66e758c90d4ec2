package dev.servesim.cli;

import dev.servesim.calibration.CalibrationOptions;
import dev.servesim.calibration.Calibrator;
import dev.servesim.calibration.HoldoutSplit;
import dev.servesim.calibration.TraceCalibrationOptions;
import dev.servesim.calibration.TraceCalibrator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code servesim calibrate}: docs/fidelity.md. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit the vllm engine's physics step-time coefficients (fixed costs and efficiencies, bounded "
                + "by the hardware's peaks) with CMA-ES: to a runs file (one global set; cross-validate, bootstrap "
                + "and pin what the runs cannot identify), or to traces recorded on your own deployment (vllm-vcr "
                + "JSONL, as servesim loadgen writes), each replayed in its configuration.",
                "Example: servesim calibrate --runs ../shared/calibration/runs.csv --out coefficients.properties",
                "Example: servesim calibrate --traces rec/trace.jsonl --config my.yaml --out mine.properties"})
final class CalibrateCommand implements Callable<Integer> {

    /** Options that only the runs mode takes. */
    private static final List<String> RUNS_ONLY = List.of("--holdout-by", "--bootstrap", "--seeds",
            "--duration-scale", "--prompt-pool");
    /** Options that only the traces mode takes. */
    private static final List<String> TRACES_ONLY = List.of("--config", "--set");

    @Option(names = "--runs", paramLabel = "RUNS.csv",
            description = "Runs file; paths inside it are relative to its folder. Exclusive with --traces.")
    Path runs;

    @Option(names = "--traces", paramLabel = "TRACE", split = ",",
            description = "Recorded traces (vllm-vcr JSONL, .gz too), comma-separated; needs --config. Held out one"
                    + " trace at a time, or with one trace its second half. Exclusive with --runs.")
    List<Path> traces;

    @Option(names = "--config", paramLabel = "CONFIG",
            description = "With --traces: the configuration of the recorded deployment (engine, model, GPU); its"
                    + " workload is replaced by each trace.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "With --traces: override a key of the configuration (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "COEFFS.properties", required = true,
            description = "Coefficients file to write (the format of the engine's 'coefficients' key); with --traces"
                    + " a JSON report goes beside it (NAME-calibration.json).")
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
            description = "Pull toward the physical defaults (--runs) or the shipped coefficients (--traces);"
                    + " docs/fidelity.md. Default: ${DEFAULT-VALUE}.")
    double priorWeight;

    @Option(names = "--jobs", paramLabel = "N", description = "Simulations run at once. Default: the number of cores.")
    Integer jobs;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((runs == null) == (traces == null)) {
            throw new ParameterException(spec.commandLine(), runs == null
                    ? "give --runs RUNS.csv, or --traces TRACE[,TRACE...] with --config CONFIG"
                    : "--runs and --traces are exclusive: give one");
        }
        refuse(runs != null ? TRACES_ONLY : RUNS_ONLY, runs != null ? "--traces" : "--runs");
        if (maxEvaluations < 10) {
            throw new ParameterException(spec.commandLine(), "--max-evaluations: must be at least 10, got "
                    + maxEvaluations);
        }
        if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
            throw new ParameterException(spec.commandLine(), "--prior-weight: must be 0 or more, got " + priorWeight);
        }
        int threads = jobs != null ? Math.max(1, jobs) : Runtime.getRuntime().availableProcessors();
        if (traces != null) {
            return calibrateOnTraces(threads);
        }
        List<HoldoutSplit> splits = new ArrayList<>();
        for (String text : holdoutBy) {
            try {
                HoldoutSplit split = HoldoutSplit.of(text);
                if (!splits.contains(split)) {
                    splits.add(split);
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--holdout-by: " + e.getMessage());
            }
        }
        if (bootstrap < 0) {
            throw new ParameterException(spec.commandLine(), "--bootstrap: must be 0 or more, got " + bootstrap);
        }
        CalibrationOptions options = new CalibrationOptions(runs, out, maxEvaluations, seeds, durationScale, splits,
                bootstrap, priorWeight, threads, optimizerSeed, promptPool.value);
        new Calibrator(common.registry(), spec.commandLine().getOut()).run(options);
        return 0;
    }

    private int calibrateOnTraces(int threads) {
        if (config == null) {
            throw new ParameterException(spec.commandLine(), "--traces needs --config CONFIG, the configuration of"
                    + " the deployment the traces were recorded on");
        }
        TraceCalibrationOptions options;
        try {
            options = new TraceCalibrationOptions(traces, config, overrides, out, maxEvaluations, priorWeight, threads,
                    optimizerSeed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--traces: " + e.getMessage());
        }
        new TraceCalibrator(common.registry(), spec.commandLine().getOut()).run(options);
        return 0;
    }

    /** Refuses each of {@code options} given on the command line: they belong to the other mode. */
    private void refuse(List<String> options, String mode) {
        for (String option : options) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new ParameterException(spec.commandLine(), option + " is an option of calibrate " + mode);
            }
        }
    }
}
