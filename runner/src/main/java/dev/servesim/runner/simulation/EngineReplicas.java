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
import dev.servesim.runner.ClusterSettings;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.stats.LatencyDigest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The engine replicas of a run on one simulated clock, and the routing of arrivals to them. Each replica has its own
 * engine, cache strategy and random streams ({@code framework/<name>/<replica>}, {@code cache/<name>/<replica>}).
 * The router sees each replica through a {@link RoutedReplica} view: load as of the last periodic report (a daemon event
 * every {@code cluster.report_interval}), its own in-flight counts, and the cache events the replica published.
 *
 * <p>A disaggregated cluster has two pools, each with its own instance of the configured router: an arriving request
 * goes to a prefill replica as a copy that generates one token (vLLM's P/D proxy sends {@code max_tokens = 1}); when
 * the copy finishes, its KV cache travels to a decode replica chosen then, which receives the original request with
 * all but the last prompt token already computed (reference 7.2).
 */
final class EngineReplicas {

    private final Simulation simulation;
    private final RequestTracker tracker;
    private final SummaryCollector summary;
    private final List<ServingEngine> engines = new ArrayList<>();
    private final List<KvCacheStrategy> caches = new ArrayList<>();
    private final RoutedReplica[] replicas;
    private final ReplicaPool[] pools;
    /** The prefill and decode pools, or null when colocated. */
    private final ReplicaPool prefill;
    private final ReplicaPool decode;
    private final String routerName;
    private final double reportInterval;
    private final double warmup;
    private final ClusterSettings.TransferSettings transfer;
    private final ClusterSettings.NetworkSettings network;
    private final LatencyDigest transferTimes = new LatencyDigest(SummaryCollector.GROUP_EXACT_LIMIT);
    private long transferredBytes;
    // the prompt chain of the request being routed, computed once for every replica's cachedPrefixBlocks
    private long chainRequestId = -1;
    private int chainBlockSize;
    private BlockHashChain chain;

    @Inject
    EngineReplicas(RunConfiguration configuration, Simulation simulation, RandomStreams random,
            RequestTracker tracker, SinkSet sinks, SummaryCollector summary) {
        this.simulation = simulation;
        this.tracker = tracker;
        this.summary = summary;
        Consumer<StepRecord> steps = step -> {
            summary.step(step);
            sinks.step(step);
        };
        ClusterSettings cluster = configuration.cluster();
        int count = cluster.replicas();
        replicas = new RoutedReplica[count];
        reportInterval = cluster.reportInterval();
        warmup = configuration.settings().warmup();
        transfer = cluster.transfer();
        network = cluster.network();
        BoundComponent routerComponent = configuration.router();
        routerName = routerComponent == null ? "" : routerComponent.name();
        if (cluster.disaggregated()) {
            int prefillCount = cluster.prefill().replicas();
            prefill = new ReplicaPool("prefill", 0, prefillCount);
            decode = new ReplicaPool("decode", prefillCount, count - prefillCount);
            pools = new ReplicaPool[] {prefill, decode};
        } else {
            prefill = null;
            decode = null;
            pools = new ReplicaPool[] {new ReplicaPool("", 0, count)};
        }
        List<BoundComponent> frameworks = configuration.replicaFrameworks();
        for (ReplicaPool pool : pools) {
            RequestListener listener = pool == prefill ? tracker.prefillListener() : tracker.listener();
            for (int local = 0; local < pool.count; local++) {
                int replica = pool.first + local;
                BoundComponent framework = frameworks.get(replica);
                replicas[replica] = new RoutedReplica(pool, local, this::chainOf);
                RandomStreams engineRandom = random.child("framework").child(framework.name())
                        .child(Integer.toString(replica));
                RandomStreams cacheRandom = random.child("cache").child(configuration.cache().name())
                        .child(Integer.toString(replica));
                EngineContext context = new RunEngineContext(replica, simulation, engineRandom, listener, steps,
                        (blocks, blockSizeTokens) -> {
                            KvCacheStrategy strategy = Components.cache(configuration.cache(),
                                    new CacheContext(blocks, blockSizeTokens, replica, simulation, cacheRandom));
                            if (routerComponent == null) {
                                // nobody routes, so nobody reads published cache events: skip their cost
                                caches.add(strategy);
                                return strategy;
                            }
                            PublishedKvCache published = new PublishedKvCache(strategy, blocks);
                            replicas[replica].cache = published;
                            caches.add(published);
                            return published;
                        });
                ServingEngine engine = Components.engine(framework, context);
                engines.add(engine);
                // groups may differ in block size; a router sees each replica's own
                replicas[replica].blockSize = engine.info().blockSizeTokens();
            }
            pool.blockSize = engines.get(pool.first).info().blockSizeTokens();
            pool.views = List.of(java.util.Arrays.copyOfRange(replicas, pool.first, pool.first + pool.count));
            if (routerComponent != null) {
                RandomStreams routerRandom = random.child("router").child(routerName);
                pool.router = Components.router(routerComponent, new RouterContext(pool.count, pool.blockSize,
                        simulation, pool.name.isEmpty() ? routerRandom : routerRandom.child(pool.name)));
            }
        }
        if (prefill != null) {
            for (int replica = 0; replica < prefill.count; replica++) {
                replicas[replica].kvBytesPerToken = kvBytesPerToken(engines.get(replica).info());
            }
        }
    }

    /** The engine's {@code kv_bytes_per_token} property, or 0 if it does not model KV memory. */
    private static long kvBytesPerToken(EngineInfo info) {
        String value = info.properties().get("kv_bytes_per_token");
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ServesimException(ErrorKind.PLUGIN, "engine property kv_bytes_per_token is not an integer: '"
                    + value + "'", e);
        }
    }

    /** Schedules the periodic load reports the routers read; called once at time 0. */
    void start(PeriodicTicks ticks) {
        if (pools[0].router != null) {
            ticks.every(reportInterval, this::report, () -> tracker.inFlightCount() > 0);
        }
    }

    private void report() {
        double now = simulation.now();
        for (int index = 0; index < replicas.length; index++) {
            EngineLoad load = engines.get(index).load();
            RoutedReplica replica = replicas[index];
            replica.running = load.running();
            replica.waiting = load.waiting();
            replica.kvUsage = load.kvUsage();
            replica.reportTime = now;
        }
    }

    /** Hands an arriving request to the replica its router chooses (a prefill replica when disaggregated). */
    void submit(Request request) {
        ReplicaPool pool = prefill != null ? prefill : pools[0];
        int index = pool.first + route(pool, request);
        RoutedReplica replica = replicas[index];
        replica.decisions++;
        replica.inFlight++;
        tracker.arrived(request, index);
        Request copy = prefill == null ? request : new Request(request.id(), request.sessionId(), request.turn(),
                request.arrivalTime(), request.prompt(), 1, request.priority(), request.profile());
        if (network.instant()) {
            engines.get(index).submit(copy);
        } else {
            // routed on arrival; the prompt reaches the replica after crossing the network
            simulation.schedule(network.inbound(request.promptTokens()), () -> engines.get(index).submit(copy));
        }
    }

    /**
     * The prefill copy of {@code request} finished on {@code replica}: its KV cache leaves for a decode replica,
     * chosen when it arrives.
     */
    void prefilled(Request request, int replica) {
        RoutedReplica source = replicas[replica];
        source.inFlight--;
        source.outputTokens++;
        long bytes = (long) request.promptTokens() * source.kvBytesPerToken;
        double seconds = transfer.latency() + bytes / transfer.bytesPerSecond();
        transferredBytes += bytes;
        if (request.arrivalTime() >= warmup) {
            transferTimes.add(seconds);
        }
        simulation.schedule(seconds, () -> decode(request));
    }

    private void decode(Request request) {
        int index = decode.first + route(decode, request);
        RoutedReplica replica = replicas[index];
        replica.decisions++;
        replica.inFlight++;
        tracker.decoding(request, index);
        engines.get(index).submitWithRemoteKv(request, request.promptTokens() - 1);
    }

    private int route(ReplicaPool pool, Request request) {
        if (pool.router == null) {
            return 0;
        }
        int index;
        try {
            index = pool.router.route(request, pool.views);
        } catch (ServesimException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ServesimException(ErrorKind.PLUGIN, "router '" + routerName + "' failed on request "
                    + request.id() + ": " + e, e);
        }
        if (index < 0 || index >= pool.count) {
            throw new ServesimException(ErrorKind.PLUGIN, "router '" + routerName + "' chose replica " + index
                    + " for request " + request.id() + ", but the " + (pool.name.isEmpty() ? "cluster" : pool.name
                    + " pool") + " has replicas 0 to " + (pool.count - 1));
        }
        return index;
    }

    /**
     * A request completed or was rejected.
     *
     * @param prefillReplica the replica that computed its prompt when disaggregated, else -1
     */
    void requestDone(RequestRecord record, int prefillReplica) {
        RoutedReplica replica = replicas[record.replica()];
        replica.inFlight--;
        replica.outputTokens += record.outputTokens();
        notifyRouter(replica, record);
        if (prefillReplica >= 0 && record.replica() != prefillReplica) {
            notifyRouter(replicas[prefillReplica], record);
        }
    }

    private static void notifyRouter(RoutedReplica replica, RequestRecord record) {
        if (replica.pool.router != null) {
            // the pool's router knows its replicas by their position in the pool
            replica.pool.router.onRequestDone(withReplica(record, replica.index));
        }
    }

    private static RequestRecord withReplica(RequestRecord record, int replica) {
        if (record.replica() == replica) {
            return record;
        }
        return new RequestRecord(record.request(), replica, record.status(), record.reason(), record.queuedTime(),
                record.scheduledTime(), record.firstTokenTime(), record.finishTime(), record.outputTokens(),
                record.cachedTokens(), record.cacheEvent(), record.preemptions(), record.meanItl(), record.maxItl());
    }

    /** A request was still in flight when the run ended. */
    void requestUnfinished(RequestRecord record) {
        RoutedReplica replica = replicas[record.replica()];
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
    Map<String, Long> counters() {
        Map<String, Long> sums = new TreeMap<>();
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

    /** Per-replica routing figures for the summary, and the pools' use up to {@code end}. */
    RunSummary.Cluster cluster(double end) {
        List<Long> decisions = new ArrayList<>();
        List<Long> outputTokens = new ArrayList<>();
        for (RoutedReplica replica : replicas) {
            decisions.add(replica.decisions);
            outputTokens.add(replica.outputTokens);
        }
        if (prefill == null) {
            return RunSummary.Cluster.colocated(replicas.length, routerName, decisions, outputTokens,
                    imbalance(decisions), imbalance(outputTokens));
        }
        Map<String, RunSummary.Pool> poolFigures = new LinkedHashMap<>();
        for (ReplicaPool pool : pools) {
            poolFigures.put(pool.name, poolFigures(pool, end));
        }
        return new RunSummary.Cluster(replicas.length, routerName, decisions, outputTokens, imbalance(decisions),
                imbalance(outputTokens), RunSummary.Cluster.DISAGGREGATED, poolFigures, transferTimes.millis(),
                transferredBytes);
    }

    private RunSummary.Pool poolFigures(ReplicaPool pool, double end) {
        long requests = 0;
        double busySeconds = 0;
        double usedBlockSeconds = 0;
        long blocks = 0;
        for (int replica = pool.first; replica < pool.first + pool.count; replica++) {
            requests += replicas[replica].decisions;
            SummaryCollector.ReplicaUse use = summary.replicaUse(replica, end);
            busySeconds += use.busySeconds();
            usedBlockSeconds += use.usedBlockSeconds();
            blocks += engines.get(replica).info().kvBlocks();
        }
        double window = end - warmup;
        double busy = window > 0 ? busySeconds / (pool.count * window) : Double.NaN;
        double kv = window > 0 && blocks > 0 ? usedBlockSeconds / (blocks * window) : Double.NaN;
        return new RunSummary.Pool(pool.first, pool.count, requests, busy, kv);
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

    private BlockHashChain chainOf(Request request, int blockSize) {
        if (request.id() != chainRequestId || chainBlockSize != blockSize || chain == null) {
            chain = BlockHashChain.of(request.prompt(), blockSize);
            chainRequestId = request.id();
            chainBlockSize = blockSize;
        }
        return chain;
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
