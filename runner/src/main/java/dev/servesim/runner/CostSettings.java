package dev.servesim.runner;

import dev.servesim.api.ConfigValues;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Prices for the cost figures of the summary ({@code resources.cost}). A GPU's price is its entry in {@code by_gpu},
 * else {@code gpu_hour_usd}, else the built-in table of approximate on-demand prices per catalog GPU
 * (docs/outputs.md); a GPU with none of them has no price.
 *
 * @param gpuHourUsd price of one GPU-hour in US dollars, for every GPU not in {@code byGpu}
 * @param byGpu price of one GPU-hour in US dollars per GPU name (the hardware's {@code name}, compared ignoring
 *     case), e.g. {@code {H100-SXM-80GB: 2.5}}
 */
public record CostSettings(Double gpuHourUsd, Map<String, Double> byGpu) {

    /** The built-in prices. */
    public static final CostSettings BUILT_IN = new CostSettings(null, null);

    public CostSettings {
        if (gpuHourUsd != null) {
            ConfigValues.nonNegative("gpu_hour_usd", gpuHourUsd);
        }
        Map<String, Double> prices = new TreeMap<>();
        if (byGpu != null) {
            byGpu.forEach((gpu, price) -> prices.put(gpu, ConfigValues.nonNegative("by_gpu." + gpu,
                    ConfigValues.required("by_gpu." + gpu, price))));
        }
        byGpu = Collections.unmodifiableMap(prices);
    }

    /** One price for every GPU. */
    public CostSettings(Double gpuHourUsd) {
        this(gpuHourUsd, null);
    }

    /** The configured price of a GPU-hour of {@code gpu}, if the configuration sets one. */
    public Optional<Double> price(String gpu) {
        for (Map.Entry<String, Double> entry : byGpu.entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(gpu.toLowerCase(Locale.ROOT))) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.ofNullable(gpuHourUsd);
    }
}
