package org.example.compat;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import java.util.List;
import org.example.compat.config.CompatEngineConfig;
import org.example.compat.config.CompatSinkConfig;
import org.example.compat.config.CompatSourceConfig;
import org.example.compat.config.NoSettings;

/** One factory of each extension kind. */
public final class CompatPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "compat";
    }

    @Override
    public List<ServingEngineFactory<?>> engineFactories() {
        return List.of(new ServingEngineFactory<CompatEngineConfig>() {
            @Override public String name() { return "compat-engine"; }
            @Override public String description() { return "constant latencies, a KV pool driven by the cache strategy"; }
            @Override public Class<CompatEngineConfig> configType() { return CompatEngineConfig.class; }
            @Override public ServingEngine create(CompatEngineConfig config, EngineContext context) {
                return new CompatEngine(config, context);
            }
        });
    }

    @Override
    public List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
        return List.of(new KvCacheStrategyFactory<NoSettings>() {
            @Override public String name() { return "compat-lru"; }
            @Override public String description() { return "hash index, least recently freed block evicted first"; }
            @Override public Class<NoSettings> configType() { return NoSettings.class; }
            @Override public KvCacheStrategy create(NoSettings config, CacheContext context) {
                return new CompatCache(context.blocks(), context.blockSizeTokens());
            }
        });
    }

    @Override
    public List<WorkloadSourceFactory<?>> workloadSourceFactories() {
        return List.of(new WorkloadSourceFactory<CompatSourceConfig>() {
            @Override public String name() { return "compat-turns"; }
            @Override public String description() { return "sessions of two turns sharing a system prompt"; }
            @Override public Class<CompatSourceConfig> configType() { return CompatSourceConfig.class; }
            @Override public WorkloadSource create(CompatSourceConfig config, WorkloadContext context) {
                return new CompatSource(config, context);
            }
        });
    }

    @Override
    public List<MetricSinkFactory<?>> metricSinkFactories() {
        return List.of(new MetricSinkFactory<CompatSinkConfig>() {
            @Override public String name() { return "compat-tally"; }
            @Override public String description() { return "counts records by status and cache event"; }
            @Override public Class<CompatSinkConfig> configType() { return CompatSinkConfig.class; }
            @Override public MetricSink create(CompatSinkConfig config, SinkContext context) {
                return new CompatSink(config, context);
            }
        });
    }

    @Override
    public List<RouterFactory<?>> routerFactories() {
        return List.of(new RouterFactory<NoSettings>() {
            @Override public String name() { return "compat-cached-first"; }
            @Override public String description() { return "longest cached prefix, then fewest in flight"; }
            @Override public Class<NoSettings> configType() { return NoSettings.class; }
            @Override public Router create(NoSettings config, RouterContext context) {
                return new CompatRouter(context.replicas());
            }
        });
    }
}
