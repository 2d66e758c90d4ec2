package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Options of {@code servesim calibrate --traces}.
 *
 * @param traces the recorded traces (vllm-vcr JSONL, gzip too), in the order given
 * @param config the configuration of the measured deployment (engine, model, GPU); its workload is replaced by each
 *     trace
 * @param overrides {@code --set} overrides of the configuration, in order
 * @param output the coefficients file to write; the JSON report goes beside it ({@link TraceCalibrator#reportFile})
 * @param maxEvaluations objective evaluations per fit (each replays every trace of the fit once)
 * @param priorWeight strength of the pull toward the shipped coefficients ({@link TraceCalibrator})
 * @param jobs replays run at once
 * @param optimizerSeed seed of CMA-ES's own random draws
 */
public record TraceCalibrationOptions(List<Path> traces, Path config, List<String> overrides, Path output,
        int maxEvaluations, double priorWeight, int jobs, long optimizerSeed) {

    public TraceCalibrationOptions {
        traces = List.copyOf(traces);
        requireNonNull(config, "config is null");
        overrides = List.copyOf(overrides);
        requireNonNull(output, "output is null");
        if (traces.isEmpty()) {
            throw new IllegalArgumentException("at least one trace is needed");
        }
        Set<Path> seen = new HashSet<>();
        for (Path trace : traces) {
            if (!seen.add(trace.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("trace " + trace + " is given twice");
            }
        }
        if (maxEvaluations < 10) {
            throw new IllegalArgumentException("max evaluations must be at least 10, got " + maxEvaluations);
        }
        if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
            throw new IllegalArgumentException("prior weight must be 0 or more, got " + priorWeight);
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        }
    }
}
