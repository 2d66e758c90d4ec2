package dev.servesim.runner;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

/**
 * Run-level settings (top-level keys of the configuration).
 *
 * @param name run name (default: the configuration file's name without extension)
 * @param seed run seed for every random stream (default 1)
 * @param horizon stop after this many simulated seconds; absent: run until the workload is drained
 * @param snapshotInterval seconds of simulated time between load snapshots sent to sinks (default 1)
 * @param output output folder (default {@code runs/<name>}; {@code --out} overrides)
 */
public record RunSettings(String name, Long seed, Double horizon, Double snapshotInterval, String output) {

    public RunSettings {
        name = orDefault(name, "run");
        if (name.isBlank()) {
            throw dev.servesim.api.ServesimException.config("name", "must not be empty");
        }
        seed = orDefault(seed, 1L);
        if (horizon != null) {
            positive("horizon", horizon);
        }
        snapshotInterval = positive("snapshot_interval", orDefault(snapshotInterval, 1.0));
    }

    /** The horizon, or positive infinity. */
    public double horizonOrInfinity() {
        return horizon == null ? Double.POSITIVE_INFINITY : horizon;
    }
}
