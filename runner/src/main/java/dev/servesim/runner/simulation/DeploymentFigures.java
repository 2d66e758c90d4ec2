package dev.servesim.runner.simulation;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.RunConfiguration;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the summary reports of a deployment: its engines, caches, routing decisions and pools. */
final class DeploymentFigures {

    private final Deployment deployment;
    private final SummaryCollector summary;
    private final String routerName;
    private final double warmup;

    @Inject
    DeploymentFigures(Deployment deployment, SummaryCollector summary, RunConfiguration configuration) {
        this.deployment = deployment;
        this.summary = summary;
        this.routerName = configuration.router() == null ? "" : configuration.router().name();
        this.warmup = configuration.settings().warmup();
    }

    List<EngineInfo> infos() {
        return deployment.engines().stream().map(ServingEngine::info).toList();
    }

    /** Engine counters summed over replicas, in name order. */
    Map<String, Long> counters() {
        Map<String, Long> sums = new TreeMap<>();
        for (ServingEngine engine : deployment.engines()) {
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
        for (KvCacheStrategy cache : deployment.caches()) {
            CacheStats stats = cache.stats();
            queried += stats.queriedTokens();
            hits += stats.hitTokens();
            evicted += stats.evictedBlocks();
            cached += stats.cachedBlocks();
            peak += stats.peakCachedBlocks();
        }
        return new CacheStats(queried, hits, evicted, cached, peak);
    }

    /** Per-replica routing figures, and the pools' use up to {@code end} when disaggregated. */
    RunSummary.Cluster cluster(double end) {
        List<Long> decisions = new ArrayList<>();
        List<Long> outputTokens = new ArrayList<>();
        for (Replica replica : deployment.replicas()) {
            decisions.add(replica.decisions());
            outputTokens.add(replica.outputTokens());
        }
        KvTransfer transfer = deployment.transfer();
        if (transfer == null) {
            return RunSummary.Cluster.colocated(decisions.size(), routerName, decisions, outputTokens,
                    imbalance(decisions), imbalance(outputTokens));
        }
        Map<String, RunSummary.Pool> poolFigures = new LinkedHashMap<>();
        for (Pool pool : deployment.pools()) {
            poolFigures.put(pool.name(), pool(pool, end));
        }
        return new RunSummary.Cluster(decisions.size(), routerName, decisions, outputTokens, imbalance(decisions),
                imbalance(outputTokens), RunSummary.Cluster.DISAGGREGATED, poolFigures, transfer.millis(),
                transfer.bytes());
    }

    private RunSummary.Pool pool(Pool pool, double end) {
        long requests = 0;
        double busySeconds = 0;
        double usedBlockSeconds = 0;
        long blocks = 0;
        for (Replica replica : pool.replicas()) {
            requests += replica.decisions();
            SummaryCollector.ReplicaUse use = summary.replicaUse(replica.id(), end);
            busySeconds += use.busySeconds();
            usedBlockSeconds += use.usedBlockSeconds();
            blocks += replica.engine().info().kvBlocks();
        }
        double window = end - warmup;
        double busy = window > 0 ? busySeconds / (pool.size() * window) : Double.NaN;
        double kv = window > 0 && blocks > 0 ? usedBlockSeconds / (blocks * window) : Double.NaN;
        return new RunSummary.Pool(pool.first(), pool.size(), requests, busy, kv);
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
}
