package dev.servesim.runner.simulation;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.core.Simulation;
import dev.servesim.runner.RunConfiguration;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The engine replicas of a run (one for now) and the routing of arrivals to them. */
final class EngineReplicas {

    private final List<ServingEngine> engines = new ArrayList<>();
    private final List<KvCacheStrategy> caches = new ArrayList<>();
    private final RequestTracker tracker;

    @Inject
    EngineReplicas(RunConfiguration configuration, Simulation simulation, RandomStreams random,
            RequestTracker tracker, SinkSet sinks, SummaryCollector summary) {
        this.tracker = tracker;
        Consumer<StepRecord> steps = step -> {
            summary.step(step);
            sinks.step(step);
        };
        int replica = 0;
        RandomStreams engineRandom = random.child("framework").child(configuration.framework().name())
                .child(Integer.toString(replica));
        RandomStreams cacheRandom = random.child("cache").child(configuration.cache().name())
                .child(Integer.toString(replica));
        EngineContext context = new RunEngineContext(replica, simulation, engineRandom, tracker.listener(), steps,
                (blocks, blockSize) -> {
                    KvCacheStrategy cache = Components.cache(configuration.cache(),
                            new CacheContext(blocks, blockSize, replica, simulation, cacheRandom));
                    caches.add(cache);
                    return cache;
                });
        engines.add(Components.engine(configuration.framework(), context));
    }

    /** Hands an arriving request to its replica. */
    void submit(Request request) {
        int replica = 0;
        tracker.arrived(request, replica);
        engines.get(replica).submit(request);
    }

    List<ServingEngine> engines() {
        return List.copyOf(engines);
    }

    List<EngineInfo> infos() {
        return engines.stream().map(ServingEngine::info).toList();
    }

    /** Engine counters summed over replicas, in name order. */
    java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> sums = new java.util.TreeMap<>();
        for (ServingEngine engine : engines) {
            engine.counters().forEach((name, value) -> sums.merge(name, value, Long::sum));
        }
        return sums;
    }

    /** Prefix-cache counters summed over the replicas' strategies (the peak is a sum of per-replica peaks). */
    CacheStats cacheStats() {
        long queried = 0;
        long hits = 0;
        long evicted = 0;
        int cached = 0;
        int peak = 0;
        for (KvCacheStrategy cache : caches) {
            CacheStats stats = cache.stats();
            queried += stats.queriedTokens();
            hits += stats.hitTokens();
            evicted += stats.evictedBlocks();
            cached += stats.cachedBlocks();
            peak += stats.peakCachedBlocks();
        }
        return new CacheStats(queried, hits, evicted, cached, peak);
    }

    @FunctionalInterface
    interface CacheCreator {
        KvCacheStrategy create(int blocks, int blockSizeTokens);
    }

    private record RunEngineContext(int replica, EventScheduler scheduler, RandomStreams random,
            RequestListener requests, Consumer<StepRecord> steps, CacheCreator caches) implements EngineContext {

        @Override
        public KvCacheStrategy createKvCache(int blocks, int blockSizeTokens) {
            return caches.create(blocks, blockSizeTokens);
        }
    }
}
