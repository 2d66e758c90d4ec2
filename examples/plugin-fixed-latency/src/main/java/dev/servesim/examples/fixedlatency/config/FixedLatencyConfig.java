package dev.servesim.examples.fixedlatency.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;

/**
 * Configuration of the {@code fixed-latency} framework.
 *
 * @param ttft seconds from arrival to the first token (default 0.05)
 * @param itl seconds between consecutive tokens (default 0.01)
 */
public record FixedLatencyConfig(Double ttft, Double itl) {

    public FixedLatencyConfig {
        ttft = nonNegative("ttft", orDefault(ttft, 0.05));
        itl = nonNegative("itl", orDefault(itl, 0.01));
    }
}
