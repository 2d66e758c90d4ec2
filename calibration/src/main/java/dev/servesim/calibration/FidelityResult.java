package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Every row's outcome, in the runs file's order, and the aggregates over the simulated ones. */
public record FidelityResult(SimulationSettings settings, List<RunOutcome> outcomes, Aggregates aggregates) {

    public FidelityResult {
        requireNonNull(settings, "settings is null");
        outcomes = List.copyOf(outcomes);
        requireNonNull(aggregates, "aggregates is null");
    }
}
