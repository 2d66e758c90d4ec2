package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Options of {@code servesim calibrate}.
 *
 * @param output the coefficients file to write (properties, the engine's {@code coefficients:} format)
 * @param maxEvaluations objective evaluations per fit (each simulates every run once per seed)
 * @param seeds seeds per run while fitting
 * @param durationScale stage durations are multiplied by this while fitting (fewer requests, faster)
 * @param holdoutByModel also run leave-one-model-out cross-validation
 * @param jobs simulations run at once
 * @param optimizerSeed seed of CMA-ES's own random draws
 * @param promptPool the distinct prompts of each run ({@link SimulationSettings#promptPool()})
 * @param peakFloor keep the coefficients of times at a hardware peak at 1 or more ({@link CoefficientSpace})
 */
public record CalibrationOptions(Path runsFile, Path output, int maxEvaluations, int seeds, double durationScale,
        boolean holdoutByModel, int jobs, long optimizerSeed, String promptPool, boolean peakFloor) {

    public CalibrationOptions {
        requireNonNull(runsFile, "runsFile is null");
        requireNonNull(output, "output is null");
        if (maxEvaluations < 10) {
            throw new IllegalArgumentException("max evaluations must be at least 10, got " + maxEvaluations);
        }
    }
}
