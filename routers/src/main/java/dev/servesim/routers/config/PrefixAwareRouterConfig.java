package dev.servesim.routers.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;

import dev.servesim.api.ServesimException;

/**
 * The {@code prefix-aware} router scores each replica as
 * {@code cache_weight * cached_fraction - load_weight * load}, where {@code cached_fraction} is the share of the
 * request's full prompt blocks the replica published as cached (leading blocks only) and {@code load} its outstanding
 * requests as last reported divided by one plus the mean over the replicas (0 when idle, about 1 at the mean), and
 * picks the highest score; ties go to the
 * fewest outstanding requests, then round-robin. Like the scorer mix of llm-d's inference scheduler (prefix-cache
 * scorer plus a load scorer), with weights.
 *
 * @param cacheWeight weight of the cached fraction (default 2)
 * @param loadWeight weight of the normalized load (default 1)
 */
public record PrefixAwareRouterConfig(Double cacheWeight, Double loadWeight) {

    public PrefixAwareRouterConfig {
        cacheWeight = nonNegative("cache_weight", orDefault(cacheWeight, 2.0));
        loadWeight = nonNegative("load_weight", orDefault(loadWeight, 1.0));
        if (cacheWeight == 0 && loadWeight == 0) {
            throw ServesimException.config("load_weight", "cache_weight and load_weight cannot both be 0");
        }
    }
}
