package dev.servesim.api;

import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.api.workload.WorkloadSourceFactory;
import java.util.List;

/**
 * The one entry class of a plugin jar, found by {@link java.util.ServiceLoader}
 * ({@code provides dev.servesim.api.ServesimPlugin with ...}).
 *
 * <p>A plugin overrides the getters of the extension kinds it offers; the others stay empty. A new extension kind is
 * added as a new default method, so plugins compiled against an older API of the same major version keep loading.
 * Factory names must be unique per extension kind across all loaded plugins.
 */
public interface ServesimPlugin {

    /** Short plugin name for listings and logs, e.g. {@code vllm}. */
    String name();

    /**
     * The API version this plugin was compiled against. The default returns the compile-time constant
     * {@link ApiVersion#CURRENT}, which javac inlines into the plugin's class file, so the runner sees the version
     * the plugin was built with and can refuse an incompatible major version.
     */
    default ApiVersion apiVersion() {
        return new ApiVersion(ApiVersion.MAJOR, ApiVersion.MINOR);
    }

    /** Serving-engine ("framework") factories, e.g. {@code vllm}. */
    default List<ServingEngineFactory<?>> engineFactories() {
        return List.of();
    }

    /** KV cache strategy factories, e.g. {@code disabled}, {@code block-hash}. */
    default List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
        return List.of();
    }

    /** Workload source factories, e.g. {@code poisson}, {@code trace}. */
    default List<WorkloadSourceFactory<?>> workloadSourceFactories() {
        return List.of();
    }

    /** Metric sink factories, e.g. {@code json}, {@code csv}, {@code prometheus}. */
    default List<MetricSinkFactory<?>> metricSinkFactories() {
        return List.of();
    }

    /**
     * Router factories, e.g. {@code round-robin}, {@code prefix-aware} (since API 0.2; plugins built against 0.1 do
     * not offer any).
     */
    default List<RouterFactory<?>> routerFactories() {
        return List.of();
    }
}
