package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.core.Simulation;
import dev.servesim.runner.BoundComponent;
import dev.servesim.runner.RunConfiguration;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The engine replicas of a run on one simulated clock, and the routing of arrivals to them. Each replica has its own
 * engine, cache strategy and random streams ({@code framework/<name>/<replica>}, {@code cache/<name>/<replica>}).
 * The router sees each replica through a {@link Replica} view: load as of the last periodic report (a daemon event
 * every {@code cluster.report_interval}), its own in-flight counts, and the cache events the replica published.
 */
final class EngineReplicas {

    private final Simulation simulation;
    private final RequestTracker tracker;
    private final List<ServingEngine> engines = new ArrayList<>();
    private final List<KvCacheStrategy> caches = new ArrayList<>();
    private final Replica[] replicas;
    private final List<ReplicaView> views;
    private final Router router;
    private final String routerName;
    private final double reportInterval;
    private final int blockSize;
    // the prompt chain of the request being routed, computed once for every replica's cachedPrefixBlocks
    private long chainRequestId = -1;
    private BlockHashChain chain;

    @Inject
    EngineReplicas(RunConfiguration configuration, Simulation simulation, RandomStreams random,
            RequestTracker tracker, SinkSet sinks, SummaryCollector summary) {
        this.simulation = simulation;
        this.tracker = tracker;
        Consumer<StepRecord> steps = step -> {
            summary.step(step);
            sinks.step(step);
        };
        int count = configuration.cluster().replicas();
        replicas = new Replica[count];
        for (int index = 0; index < count; index++) {
            int replica = index;
            replicas[replica] = new Replica(replica);
            RandomStreams engineRandom = random.child("framework").child(configuration.framework().name())
                    .child(Integer.toString(replica));
            RandomStreams cacheRandom = random.child("cache").child(configuration.cache().name())
                    .child(Integer.toString(replica));
            EngineContext context = new RunEngineContext(replica, simulation, engineRandom, tracker.listener(), steps,
                    (blocks, blockSizeTokens) -> {
                        KvCacheStrategy strategy = Components.cache(configuration.cache(),
                                new CacheContext(blocks, blockSizeTokens, replica, simulation, cacheRandom));
                        PublishedKvCache published = new PublishedKvCache(strategy, blocks);
                        replicas[replica].cache = published;
                        caches.add(published);
                        return published;
                    });
            engines.add(Components.engine(configuration.framework(), context));
        }
        views = List.of(replicas);
        blockSize = engines.get(0).info().blockSizeTokens();
        reportInterval = configuration.cluster().reportInterval();
        BoundComponent routerComponent = configuration.router();
        if (routerComponent == null) {
            router = null;
            routerName = "";
        } else {
            routerName = routerComponent.name();
            router = Components.router(routerComponent, new RouterContext(count, blockSize, simulation,
                    random.child("router").child(routerName)));
        }
    }

    /** Schedules the periodic load reports the router reads; called once at time 0. */
    void start() {
        if (router != null) {
            simulation.scheduleDaemon(0, this::report);
        }
    }

    private void report() {
        double now = simulation.now();
        for (int index = 0; index < replicas.length; index++) {
            EngineLoad load = engines.get(index).load();
            Replica replica = replicas[index];
            replica.running = load.running();
            replica.waiting = load.waiting();
            replica.kvUsage = load.kvUsage();
            replica.reportTime = now;
        }
        simulation.scheduleDaemon(reportInterval, this::report);
    }

    /** Hands an arriving request to the replica its router chooses. */
    void submit(Request request) {
        int index = router == null ? 0 : route(request);
        Replica replica = replicas[index];
        replica.decisions++;
        replica.inFlight++;
        tracker.arrived(request, index);
        engines.get(index).submit(request);
    }

    private int route(Request request) {
        int index;
        try {
            index = router.route(request, views);
        } catch (ServesimException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ServesimException(ErrorKind.PLUGIN, "router '" + routerName + "' failed on request "
                    + request.id() + ": " + e, e);
        }
        if (index < 0 || index >= replicas.length) {
            throw new ServesimException(ErrorKind.PLUGIN, "router '" + routerName + "' chose replica " + index
                    + " for request " + request.id() + ", but the cluster has replicas 0 to " + (replicas.length - 1));
        }
        return index;
    }

    /** A request completed or was rejected. */
    void requestDone(RequestRecord record) {
        Replica replica = replicas[record.replica()];
        replica.inFlight--;
        replica.outputTokens += record.outputTokens();
        if (router != null) {
            router.onRequestDone(record);
        }
    }

    /** A request was still in flight when the run ended. */
    void requestUnfinished(RequestRecord record) {
        Replica replica = replicas[record.replica()];
        replica.inFlight--;
        replica.outputTokens += record.outputTokens();
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

    /** Per-replica routing figures for the summary. */
    RunSummary.Cluster cluster() {
        List<Long> decisions = new ArrayList<>();
        List<Long> outputTokens = new ArrayList<>();
        for (Replica replica : replicas) {
            decisions.add(replica.decisions);
            outputTokens.add(replica.outputTokens);
        }
        return new RunSummary.Cluster(replicas.length, routerName, decisions, outputTokens, imbalance(decisions),
                imbalance(outputTokens));
    }

    /** max / mean, NaN when everything is zero. */
    static double imbalance(List<Long> values) {
        long max = 0;
        long sum = 0;
        for (long value : values) {
            max = Math.max(max, value);
            sum += value;
        }
        return sum == 0 ? Double.NaN : max / ((double) sum / values.size());
    }

    private BlockHashChain chainOf(Request request) {
        if (request.id() != chainRequestId || chain == null) {
            chain = BlockHashChain.of(request.prompt(), blockSize);
            chainRequestId = request.id();
        }
        return chain;
    }

    /** What the router sees of one replica. */
    private final class Replica implements ReplicaView {
        private final int index;
        private int running;
        private int waiting;
        private double kvUsage;
        private double reportTime;
        private int inFlight;
        private long decisions;
        private long outputTokens;
        private PublishedKvCache cache;

        Replica(int index) {
            this.index = index;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public int running() {
            return running;
        }

        @Override
        public int waiting() {
            return waiting;
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public double kvUsage() {
            return kvUsage;
        }

        @Override
        public double reportTime() {
            return reportTime;
        }

        @Override
        public int cachedPrefixBlocks(Request request) {
            if (cache == null || blockSize == 0) {
                return 0;
            }
            BlockHashChain hashes = chainOf(request);
            int blocks = hashes.fullBlocks();
            int cached = 0;
            while (cached < blocks && cache.published(hashes.hash(cached))) {
                cached++;
            }
            return cached;
        }

        @Override
        public int promptBlocks(Request request) {
            return blockSize == 0 ? 0 : request.promptTokens() / blockSize;
        }
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
