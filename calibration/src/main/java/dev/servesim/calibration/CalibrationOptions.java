package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * Options of {@code servesim calibrate}.
 *
 * @param output the coefficients file to write (properties, the engine's {@code coefficients:} format); the held-out
 *     and in-sample reports go into folders beside it ({@code <name>-holdout-<split>/}, {@code <name>-in-sample/})
 * @param maxEvaluations objective evaluations per fit (each simulates every run once per seed)
 * @param seeds seeds per run while fitting, and for the held-out and in-sample evaluations
 * @param durationScale stage durations are multiplied by this while fitting (fewer requests, faster)
 * @param holdouts the cross-validation splits to run before the final fit, in order
 * @param bootstrap resamples of the runs for the coefficients' confidence intervals; 0 for none (and no pinning)
 * @param priorWeight strength of the regularisation toward the physical defaults ({@link Calibrator})
 * @param jobs simulations run at once
 * @param optimizerSeed seed of CMA-ES's own random draws and of the bootstrap's resampling
 * @param promptPool the distinct prompts of each run ({@link SimulationSettings#promptPool()})
 */
public record CalibrationOptions(Path runsFile, Path output, int maxEvaluations, int seeds, double durationScale,
        List<HoldoutSplit> holdouts, int bootstrap, double priorWeight, int jobs, long optimizerSeed,
        String promptPool) {

    public CalibrationOptions {
        requireNonNull(runsFile, "runsFile is null");
        requireNonNull(output, "output is null");
        holdouts = List.copyOf(holdouts);
        if (maxEvaluations < 10) {
            throw new IllegalArgumentException("max evaluations must be at least 10, got " + maxEvaluations);
        }
        if (bootstrap < 0) {
            throw new IllegalArgumentException("bootstrap resamples must be 0 or more, got " + bootstrap);
        }
        if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
            throw new IllegalArgumentException("prior weight must be 0 or more, got " + priorWeight);
        }
    }
}
