package dev.servesim.runner;

import dev.servesim.api.ConfigValues;

/**
 * Prices for the cost figures of the summary ({@code resources.cost}).
 *
 * @param gpuHourUsd price of one GPU-hour in US dollars, for every GPU of the deployment; absent: the built-in table of
 *     approximate on-demand prices per catalog GPU (docs/outputs.md), and no price for a GPU it does not list
 */
public record CostSettings(Double gpuHourUsd) {

    /** The built-in prices. */
    public static final CostSettings BUILT_IN = new CostSettings(null);

    public CostSettings {
        if (gpuHourUsd != null) {
            ConfigValues.nonNegative("gpu_hour_usd", gpuHourUsd);
        }
    }
}
