package dev.servesim.runner.simulation;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheEvents;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.core.Simulation;
import dev.servesim.runner.BoundComponent;
import dev.servesim.runner.RunConfiguration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Creates the pools of a deployment: each replica's engine with its own cache strategy and random streams
 * ({@code framework/<name>/<replica>}, {@code cache/<name>/<replica>}), and each pool's router instance
 * ({@code router/<name>}, or {@code router/<name>/<pool>} when there are two pools).
 */
final class ReplicaFactory {

    private final RunConfiguration configuration;
    private final Simulation simulation;
    private final RandomStreams random;
    private final Consumer<StepRecord> steps;
    private final Replica.ChainSource chains;
    private final List<KvCacheStrategy> caches;
    private final boolean realClients;

    /**
     * @param caches receives every cache strategy created, as the engines create them
     * @param realClients whether the run's requests come from real clients ({@link EngineContext#realClients})
     */
    ReplicaFactory(RunConfiguration configuration, Simulation simulation, RandomStreams random,
            Consumer<StepRecord> steps, Replica.ChainSource chains, List<KvCacheStrategy> caches,
            boolean realClients) {
        this.configuration = configuration;
        this.simulation = simulation;
        this.random = random;
        this.steps = steps;
        this.chains = chains;
        this.caches = caches;
        this.realClients = realClients;
    }

    /**
     * The pool of replicas {@code first .. first + count - 1}, whose engines report to {@code listener}.
     *
     * @param name {@code prefill}, {@code decode}, or empty for a co-located deployment's single pool
     */
    Pool pool(String name, int first, int count, RequestListener listener) {
        Pool pool = new Pool(name, first);
        List<BoundComponent> frameworks = configuration.replicaFrameworks();
        for (int local = 0; local < count; local++) {
            Replica replica = new Replica(pool, local, first + local, chains);
            pool.add(replica);
            replica.attach(Components.engine(frameworks.get(replica.id()), engineContext(replica, listener)));
        }
        BoundComponent router = configuration.router();
        if (router != null) {
            RandomStreams routerRandom = random.child("router").child(router.name());
            int blockSize = pool.replicas().get(0).engine().info().blockSizeTokens();
            pool.route(Components.router(router, new RouterContext(count, blockSize, simulation,
                    name.isEmpty() ? routerRandom : routerRandom.child(name))), router.name());
        }
        return pool;
    }

    private EngineContext engineContext(Replica replica, RequestListener listener) {
        int id = replica.id();
        BoundComponent framework = configuration.replicaFrameworks().get(id);
        RandomStreams engineRandom = random.child("framework").child(framework.name()).child(Integer.toString(id));
        RandomStreams cacheRandom = random.child("cache").child(configuration.cache().name())
                .child(Integer.toString(id));
        CacheCreator cacheCreator = (blocks, blockSizeTokens) -> {
            KvCacheStrategy strategy = Components.cache(configuration.cache(),
                    new CacheContext(blocks, blockSizeTokens, id, simulation, cacheRandom));
            if (configuration.router() == null) {
                // nobody routes, so nobody reads published cache events: skip their cost
                caches.add(strategy);
                return strategy;
            }
            PublishedKvCache published = new PublishedKvCache(strategy, blocks, publishedBlocks(replica));
            caches.add(published);
            return published;
        };
        // nobody reads published cache events without a router
        Supplier<Optional<KvCacheEvents>> events = () -> configuration.router() == null ? Optional.empty()
                : Optional.of(publishedBlocks(replica));
        return new RunEngineContext(id, simulation, engineRandom, listener, steps, realClients, cacheCreator,
                events);
    }

    // only a replica whose engine publishes cache events makes the router look its requests' prefixes up
    private static PublishedBlocks publishedBlocks(Replica replica) {
        PublishedBlocks published = new PublishedBlocks();
        replica.publish(published);
        return published;
    }

    @FunctionalInterface
    private interface CacheCreator {
        KvCacheStrategy create(int blocks, int blockSizeTokens);
    }

    private record RunEngineContext(int replica, EventScheduler scheduler, RandomStreams random,
            RequestListener requests, Consumer<StepRecord> steps, boolean realClients, CacheCreator caches,
            Supplier<Optional<KvCacheEvents>> events)
            implements EngineContext {

        @Override
        public Optional<KvCacheEvents> kvCacheEvents() {
            return events.get();
        }

        @Override
        public KvCacheStrategy createKvCache(int blocks, int blockSizeTokens) {
            return caches.create(blocks, blockSizeTokens);
        }
    }
}
