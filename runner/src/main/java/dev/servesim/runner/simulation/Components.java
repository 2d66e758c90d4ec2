package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ExtensionFactory;
import dev.servesim.api.ServesimException;
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
import dev.servesim.runner.BoundComponent;
import java.util.function.Function;

/** Calls a bound component's factory with its typed configuration, and names the plugin when it fails. */
final class Components {

    private Components() {}

    static ServingEngine engine(BoundComponent component, EngineContext context) {
        return create(component, ServingEngineFactory.class, f -> createEngine(f, component.config(), context));
    }

    static KvCacheStrategy cache(BoundComponent component, CacheContext context) {
        return create(component, KvCacheStrategyFactory.class, f -> createCache(f, component.config(), context));
    }

    static WorkloadSource workload(BoundComponent component, WorkloadContext context) {
        return create(component, WorkloadSourceFactory.class, f -> createWorkload(f, component.config(), context));
    }

    static MetricSink sink(BoundComponent component, SinkContext context) {
        return create(component, MetricSinkFactory.class, f -> createSink(f, component.config(), context));
    }

    /** Checks a sink's configuration as its factory's {@code check} does, creating nothing. */
    static void checkSink(BoundComponent component, SinkContext context) {
        create(component, MetricSinkFactory.class, f -> {
            checkSink(f, component.config(), context);
            return Boolean.TRUE;
        });
    }

    static Router router(BoundComponent component, RouterContext context) {
        return create(component, RouterFactory.class, f -> createRouter(f, component.config(), context));
    }

    private static <F, T> T create(BoundComponent component, Class<F> type, Function<F, T> creation) {
        ExtensionFactory<?> factory = component.factory().factory();
        T created;
        try {
            created = creation.apply(type.cast(factory));
        } catch (ServesimException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ServesimException(ErrorKind.PLUGIN, component.factory().kind().label() + " '" + component.name()
                    + "' (plugin " + component.factory().plugin().name() + ") failed to start: " + e, e);
        }
        if (created == null) {
            throw new ServesimException(ErrorKind.PLUGIN, component.factory().kind().label() + " '" + component.name()
                    + "' (plugin " + component.factory().plugin().name() + ") returned null from create()");
        }
        return created;
    }

    private static <C extends Record> ServingEngine createEngine(ServingEngineFactory<C> factory, Record config,
            EngineContext context) {
        return factory.create(factory.configType().cast(config), context);
    }

    private static <C extends Record> KvCacheStrategy createCache(KvCacheStrategyFactory<C> factory, Record config,
            CacheContext context) {
        return factory.create(factory.configType().cast(config), context);
    }

    private static <C extends Record> WorkloadSource createWorkload(WorkloadSourceFactory<C> factory, Record config,
            WorkloadContext context) {
        return factory.create(factory.configType().cast(config), context);
    }

    private static <C extends Record> Router createRouter(RouterFactory<C> factory, Record config,
            RouterContext context) {
        return factory.create(factory.configType().cast(config), context);
    }

    private static <C extends Record> void checkSink(MetricSinkFactory<C> factory, Record config,
            SinkContext context) {
        factory.check(factory.configType().cast(config), context);
    }

    private static <C extends Record> MetricSink createSink(MetricSinkFactory<C> factory, Record config,
            SinkContext context) {
        return factory.create(factory.configType().cast(config), context);
    }
}
