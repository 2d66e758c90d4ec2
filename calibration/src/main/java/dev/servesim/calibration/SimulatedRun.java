package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

/**
 * One simulation of one row with one seed.
 *
 * @param predicted the seven figures, ITL with the row's denominator (see {@link RunSimulator})
 * @param completed requests that completed
 * @param unsuccessful requests rejected or unfinished (left out of E2E; counted in TTFT if they got a token)
 */
public record SimulatedRun(long seed, Metrics predicted, long completed, long unsuccessful) {

    public SimulatedRun {
        requireNonNull(predicted, "predicted is null");
    }
}
