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
import java.util.function.BiFunction;

/** Calls a bound component's factory with its typed configuration, and names the plugin when it fails. */
final class Components {

    private Components() {}

    static ServingEngine engine(BoundComponent component, EngineContext context) {
        return create(component, (ServingEngineFactory<Record> factory, Record config) -> factory.create(config,
                context));
    }

    static KvCacheStrategy cache(BoundComponent component, CacheContext context) {
        return create(component, (KvCacheStrategyFactory<Record> factory, Record config) -> factory.create(config,
                context));
    }

    static WorkloadSource workload(BoundComponent component, WorkloadContext context) {
        return create(component, (WorkloadSourceFactory<Record> factory, Record config) -> factory.create(config,
                context));
    }

    static MetricSink sink(BoundComponent component, SinkContext context) {
        return create(component, (MetricSinkFactory<Record> factory, Record config) -> factory.create(config,
                context));
    }

    /** Checks a sink's configuration as its factory's {@code check} does, creating nothing. */
    static void checkSink(BoundComponent component, SinkContext context) {
        create(component, (MetricSinkFactory<Record> factory, Record config) -> {
            factory.check(config, context);
            return Boolean.TRUE;
        });
    }

    static Router router(BoundComponent component, RouterContext context) {
        return create(component, (RouterFactory<Record> factory, Record config) -> factory.create(config, context));
    }

    /**
     * Calls {@code creation} with the component's factory and its bound configuration, naming the plugin when it
     * fails or returns null.
     */
    private static <F extends ExtensionFactory<Record>, T> T create(BoundComponent component,
            BiFunction<F, Record, T> creation) {
        // the configuration was bound to this factory's configType(), so the factory accepts it
        @SuppressWarnings("unchecked")
        F factory = (F) component.factory().factory();
        T created;
        try {
            created = creation.apply(factory, component.config());
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
}
