package dev.servesim.testing.conformance;

import dev.servesim.api.ApiVersion;
import dev.servesim.api.ExtensionFactory;
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

/**
 * A plugin as the runner sees it, with every component its factories create wrapped in a monitor of {@link Checks}.
 * Names, configuration types and defaults are the plugin's own, so configuration binding and resolution are those
 * of a real run.
 */
final class CheckedPlugin implements ServesimPlugin {

    private final ServesimPlugin plugin;
    private final Checks checks;

    CheckedPlugin(ServesimPlugin plugin, Checks checks) {
        this.plugin = plugin;
        this.checks = checks;
    }

    @Override
    public String name() {
        return plugin.name();
    }

    @Override
    public ApiVersion apiVersion() {
        return plugin.apiVersion();
    }

    @Override
    public List<ServingEngineFactory<?>> engineFactories() {
        return plugin.engineFactories().stream().<ServingEngineFactory<?>>map(this::engines).toList();
    }

    @Override
    public List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
        return plugin.kvCacheStrategyFactories().stream().<KvCacheStrategyFactory<?>>map(this::caches).toList();
    }

    @Override
    public List<WorkloadSourceFactory<?>> workloadSourceFactories() {
        return plugin.workloadSourceFactories().stream().<WorkloadSourceFactory<?>>map(this::workloads).toList();
    }

    @Override
    public List<MetricSinkFactory<?>> metricSinkFactories() {
        return plugin.metricSinkFactories().stream().<MetricSinkFactory<?>>map(this::sinks).toList();
    }

    @Override
    public List<RouterFactory<?>> routerFactories() {
        return plugin.routerFactories().stream().<RouterFactory<?>>map(this::routers).toList();
    }

    private <C extends Record> ServingEngineFactory<C> engines(ServingEngineFactory<C> factory) {
        return new CheckedEngineFactory<>(factory, checks);
    }

    private <C extends Record> KvCacheStrategyFactory<C> caches(KvCacheStrategyFactory<C> factory) {
        return new CheckedCacheFactory<>(factory, checks);
    }

    private <C extends Record> WorkloadSourceFactory<C> workloads(WorkloadSourceFactory<C> factory) {
        return new CheckedWorkloadFactory<>(factory, checks);
    }

    private <C extends Record> MetricSinkFactory<C> sinks(MetricSinkFactory<C> factory) {
        return new CheckedSinkFactory<>(factory, checks);
    }

    private <C extends Record> RouterFactory<C> routers(RouterFactory<C> factory) {
        return new CheckedRouterFactory<>(factory, checks);
    }

    /** A factory with the wrapped one's name, description, configuration type and resolution. */
    private abstract static class Delegating<C extends Record, F extends ExtensionFactory<C>>
            implements ExtensionFactory<C> {

        final F factory;
        final Checks checks;

        Delegating(F factory, Checks checks) {
            this.factory = factory;
            this.checks = checks;
        }

        @Override
        public String name() {
            return factory.name();
        }

        @Override
        public String description() {
            return factory.description();
        }

        @Override
        public Class<C> configType() {
            return factory.configType();
        }

        @Override
        public C resolve(C config) {
            return factory.resolve(config);
        }

        /** Fails the run if a factory created nothing. */
        <T> T created(T component, String what) {
            if (component == null) {
                throw checks.fail(what + " '" + factory.name() + "': its factory created nothing");
            }
            return component;
        }
    }

    private static final class CheckedEngineFactory<C extends Record>
            extends Delegating<C, ServingEngineFactory<C>> implements ServingEngineFactory<C> {

        CheckedEngineFactory(ServingEngineFactory<C> factory, Checks checks) {
            super(factory, checks);
        }

        @Override
        public ServingEngine create(C config, EngineContext context) {
            CheckedEngine engine = checks.add(new CheckedEngine(checks, factory.name(), context.replica()));
            return engine.wrap(created(factory.create(config, engine.watch(context)), "engine"));
        }
    }

    private static final class CheckedCacheFactory<C extends Record>
            extends Delegating<C, KvCacheStrategyFactory<C>> implements KvCacheStrategyFactory<C> {

        CheckedCacheFactory(KvCacheStrategyFactory<C> factory, Checks checks) {
            super(factory, checks);
        }

        @Override
        public KvCacheStrategy create(C config, CacheContext context) {
            KvCacheStrategy strategy = created(factory.create(config, context), "cache strategy");
            return checks.add(new CheckedKvCacheStrategy(strategy, checks, factory.name(), context.replica(),
                    context.blocks()));
        }
    }

    private static final class CheckedWorkloadFactory<C extends Record>
            extends Delegating<C, WorkloadSourceFactory<C>> implements WorkloadSourceFactory<C> {

        CheckedWorkloadFactory(WorkloadSourceFactory<C> factory, Checks checks) {
            super(factory, checks);
        }

        @Override
        public WorkloadSource create(C config, WorkloadContext context) {
            CheckedWorkloadSource source = checks.add(new CheckedWorkloadSource(checks, factory.name()));
            return source.wrap(created(factory.create(config, source.watch(context)), "workload source"));
        }
    }

    private static final class CheckedSinkFactory<C extends Record>
            extends Delegating<C, MetricSinkFactory<C>> implements MetricSinkFactory<C> {

        CheckedSinkFactory(MetricSinkFactory<C> factory, Checks checks) {
            super(factory, checks);
        }

        @Override
        public MetricSink create(C config, SinkContext context) {
            MetricSink sink = created(factory.create(config, context), "sink");
            return checks.add(new CheckedMetricSink(sink, checks, factory.name()));
        }

        @Override
        public void check(C config, SinkContext context) {
            factory.check(config, context);
        }
    }

    private static final class CheckedRouterFactory<C extends Record>
            extends Delegating<C, RouterFactory<C>> implements RouterFactory<C> {

        CheckedRouterFactory(RouterFactory<C> factory, Checks checks) {
            super(factory, checks);
        }

        @Override
        public Router create(C config, RouterContext context) {
            Router router = created(factory.create(config, context), "router");
            return checks.add(new CheckedRouter(router, checks, factory.name(), context.replicas()));
        }
    }
}
