package dev.servesim.runner.sinks.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;

/**
 * Configuration of the {@code timeline} sink: a Chrome Trace Event file of the run (docs/outputs.md).
 *
 * @param file trace file name inside the output folder (default {@code timeline.json})
 * @param maxRequests requests recorded, in the order they end; later ones are left out and the file says how many
 *     (default 100,000; 0 records none)
 * @param maxSteps engine steps and load snapshots recorded, over all replicas; later ones, and the load counters
 *     they carry, are left out and the file says how many (default 200,000; 0 records none)
 */
public record TimelineSinkConfig(String file, Integer maxRequests, Integer maxSteps) {

    public TimelineSinkConfig {
        file = FileNames.check("file", orDefault(file, "timeline.json"));
        maxRequests = nonNegative("max_requests", orDefault(maxRequests, 100_000));
        maxSteps = nonNegative("max_steps", orDefault(maxSteps, 200_000));
    }
}
