package dev.servesim.api.metrics;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.engine.GpuMemory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Results of a run, as written to {@code summary.json}: component names become snake_case keys. Keys are only ever
 * added, never renamed (docs/outputs.md documents each one). Latencies are in milliseconds (components named
 * {@code ...Ms}); rates are per simulated second; a figure that does not exist (no sample) is {@code NaN}, written as
 * {@code null}.
 *
 * <p>Requests that arrived during the warm-up ({@code warmup} seconds) are counted in {@link Requests} but left out of
 * every other statistic.
 *
 * @param runName name of the run
 * @param version servesim version that produced it
 * @param seed run seed
 * @param configHash SHA-256 of the resolved configuration (hex)
 * @param partial true if the run stopped before it ended (interrupted, failed or over a limit): the figures cover
 *     what happened until then
 * @param stopReason why a partial run stopped, one line (e.g. {@code interrupted}); empty when the run ended
 *     normally (since API 0.3)
 * @param simulatedSeconds simulated time at the end of the run
 * @param wallSeconds wall-clock duration of the simulation (not deterministic, like {@code simulatedOverWall})
 * @param simulatedOverWall simulated seconds per wall second
 * @param percentiles how percentiles were computed, e.g. {@code exact (linear interpolation)}
 * @param requests request counts
 * @param latencyMs latency distributions in milliseconds
 * @param throughput rates over the measured window
 * @param goodput requests meeting the configured SLOs
 * @param prefixCache prefix-cache effectiveness
 * @param kvCache KV capacity and usage, summed over replicas
 * @param workload counters reported by the workload source, e.g. {@code skipped_lines}
 * @param breakdown the same statistics per replica, client profile or stage, and conversation turn
 * @param engine counters reported by the engines, summed over replicas, e.g. {@code cpu_kv_loads}
 * @param cluster the replicas and the router's decisions (since API 0.2)
 * @param resources GPUs, memory per GPU, capacity, GPU-hours and cost (since API 0.4, additive)
 */
public record RunSummary(
        String runName,
        String version,
        long seed,
        String configHash,
        boolean partial,
        String stopReason,
        double simulatedSeconds,
        double wallSeconds,
        double simulatedOverWall,
        String percentiles,
        Requests requests,
        Latencies latencyMs,
        Throughput throughput,
        Goodput goodput,
        PrefixCache prefixCache,
        KvCache kvCache,
        Map<String, Long> workload,
        Breakdown breakdown,
        Map<String, Long> engine,
        Cluster cluster,
        Resources resources) {

    public RunSummary {
        requireNonNull(runName, "runName is null");
        requireNonNull(version, "version is null");
        requireNonNull(configHash, "configHash is null");
        requireNonNull(stopReason, "stopReason is null");
        requireNonNull(percentiles, "percentiles is null");
        requireNonNull(requests, "requests is null");
        requireNonNull(latencyMs, "latencyMs is null");
        requireNonNull(throughput, "throughput is null");
        requireNonNull(goodput, "goodput is null");
        requireNonNull(prefixCache, "prefixCache is null");
        requireNonNull(kvCache, "kvCache is null");
        workload = sorted(workload);
        requireNonNull(breakdown, "breakdown is null");
        engine = sorted(engine);
        requireNonNull(cluster, "cluster is null");
        requireNonNull(resources, "resources is null");
    }

    /** The summary without resource figures (before API 0.4): {@link Resources#NONE}. */
    public RunSummary(String runName, String version, long seed, String configHash, boolean partial,
            String stopReason, double simulatedSeconds, double wallSeconds, double simulatedOverWall,
            String percentiles, Requests requests, Latencies latencyMs, Throughput throughput, Goodput goodput,
            PrefixCache prefixCache, KvCache kvCache, Map<String, Long> workload, Breakdown breakdown,
            Map<String, Long> engine, Cluster cluster) {
        this(runName, version, seed, configHash, partial, stopReason, simulatedSeconds, wallSeconds,
                simulatedOverWall, percentiles, requests, latencyMs, throughput, goodput, prefixCache, kvCache,
                workload, breakdown, engine, cluster, Resources.NONE);
    }

    /** The summary without a stop reason (before API 0.3): a partial run reads {@code interrupted}. */
    public RunSummary(String runName, String version, long seed, String configHash, boolean partial,
            double simulatedSeconds, double wallSeconds, double simulatedOverWall, String percentiles,
            Requests requests, Latencies latencyMs, Throughput throughput, Goodput goodput, PrefixCache prefixCache,
            KvCache kvCache, Map<String, Long> workload, Breakdown breakdown, Map<String, Long> engine,
            Cluster cluster) {
        this(runName, version, seed, configHash, partial, partial ? "interrupted" : "", simulatedSeconds,
                wallSeconds, simulatedOverWall, percentiles, requests, latencyMs, throughput, goodput, prefixCache,
                kvCache, workload, breakdown, engine, cluster);
    }

    /**
     * Request counts over the whole run: {@code arrived == completed + rejected + unfinished}.
     *
     * @param rejectedByReason rejections per reason, sorted by reason
     * @param warmup requests that arrived during the warm-up (counted here, excluded from every statistic)
     * @param finishedByReason completed requests per finish reason ({@code length}, {@code stop}; see
     *     {@link dev.servesim.api.request.RequestRecord#finishReason()}), sorted by reason; empty in a summary built
     *     without them (since API 0.5, additive)
     */
    public record Requests(long arrived, long completed, long rejected, long unfinished,
            Map<String, Long> rejectedByReason, long warmup, Map<String, Long> finishedByReason) {

        public Requests {
            rejectedByReason = sorted(rejectedByReason);
            finishedByReason = sorted(finishedByReason);
        }

        /** Counts without finish reasons (before API 0.5): {@code finishedByReason} is empty. */
        public Requests(long arrived, long completed, long rejected, long unfinished,
                Map<String, Long> rejectedByReason, long warmup) {
            this(arrived, completed, rejected, unfinished, rejectedByReason, warmup, Map.of());
        }
    }

    /**
     * Latency distributions of measured requests, in milliseconds.
     *
     * @param ttft time to first token, of every request that got one
     * @param tpot per completed request, mean gap between output tokens after the first (vLLM's
     *     {@code request_time_per_output_token})
     * @param itl every gap between consecutive output tokens of a request
     * @param e2e arrival to last token, of completed requests
     * @param queue entering the waiting queue to first admission
     */
    public record Latencies(LatencyStats ttft, LatencyStats tpot, LatencyStats itl, LatencyStats e2e,
            LatencyStats queue) {}

    /**
     * Rates over the measured window (end of warm-up to end of run), per simulated second.
     *
     * @param requestsPerS completed requests per second
     * @param inputTokensPerS prompt tokens of completed requests per second
     * @param outputTokensPerS output tokens generated per second
     */
    public record Throughput(double requestsPerS, double inputTokensPerS, double outputTokensPerS) {}

    /**
     * Completed requests that meet every configured SLO (a threshold that is not configured is not checked).
     *
     * @param sloTtftMs TTFT threshold, or NaN if none
     * @param sloTpotMs TPOT threshold, or NaN if none
     * @param requests completed measured requests meeting the SLOs
     * @param share their share of all measured requests (completed, rejected and unfinished)
     * @param requestsPerS their rate over the measured window
     */
    public record Goodput(double sloTtftMs, double sloTpotMs, long requests, double share, double requestsPerS) {}

    /**
     * Prefix-cache effectiveness over measured requests.
     *
     * @param strategy the cache strategy's name
     * @param tokenHitRate cached prompt tokens / prompt tokens, at first admission
     * @param requestHitRate share of requests with at least one cached token
     * @param conversationalHitRate share of follow-up turns (turn 2 and later) with at least one cached token
     * @param prefillReduction 1 - prompt tokens actually computed (recomputation after preemption included) / prompt
     *     tokens
     * @param tokensSaved cached prompt tokens
     * @param events count of each cache event reported at first admission
     * @param blocksEvicted cached blocks whose content was dropped to make room
     * @param peakCachedBlocks the most blocks holding cached content at once, summed over replicas
     */
    public record PrefixCache(String strategy, double tokenHitRate, double requestHitRate,
            double conversationalHitRate, double prefillReduction, long tokensSaved, Map<String, Long> events,
            long blocksEvicted, long peakCachedBlocks) {

        public PrefixCache {
            requireNonNull(strategy, "strategy is null");
            events = sorted(events);
        }
    }

    /**
     * KV capacity and use, summed over replicas.
     *
     * @param blocks usable KV blocks
     * @param blockSize tokens per block
     * @param tokens KV capacity in tokens
     * @param peakUsage highest fraction of blocks referenced by requests after a step
     * @param meanUsage time-weighted mean of that fraction over the measured window
     * @param preemptions preemptions
     * @param evictions cached blocks evicted (same as {@code prefix_cache.blocks_evicted})
     */
    public record KvCache(long blocks, int blockSize, long tokens, double peakUsage, double meanUsage,
            long preemptions, long evictions) {}

    /**
     * Per-group statistics.
     *
     * @param byReplica keyed by replica index
     * @param byProfile keyed by the request's client profile or load stage (empty name: {@code default})
     * @param byTurn {@code turn 1} and {@code turns 2+}
     */
    public record Breakdown(Map<String, Group> byReplica, Map<String, Group> byProfile, Map<String, Group> byTurn) {

        public Breakdown {
            byReplica = ordered(byReplica);
            byProfile = ordered(byProfile);
            byTurn = ordered(byTurn);
        }
    }

    /**
     * Statistics of one group of measured requests.
     *
     * @param requests measured requests of the group
     * @param completed of which completed
     * @param rejected of which rejected
     * @param unfinished of which unfinished
     * @param ttftMs TTFT distribution
     * @param tpotMs TPOT distribution
     * @param e2eMs E2E distribution
     * @param queueMs queue-time distribution
     * @param requestsPerS completed requests per second of the measured window
     * @param outputTokensPerS output tokens per second of the measured window
     * @param tokenHitRate cached prompt tokens / prompt tokens
     * @param goodputShare share of the group's requests meeting the SLOs
     */
    public record Group(long requests, long completed, long rejected, long unfinished, LatencyStats ttftMs,
            LatencyStats tpotMs, LatencyStats e2eMs, LatencyStats queueMs, double requestsPerS,
            double outputTokensPerS, double tokenHitRate, double goodputShare) {}

    /**
     * The engine replicas and how the router spread the requests over them. Counts cover every request of the run,
     * warm-up included (routing decisions are made for all of them); lists are indexed by replica.
     *
     * <p>In a disaggregated deployment (added to API 0.2) replicas {@code 0 .. p-1} form the prefill pool and the rest
     * the decode pool: {@code decisions} counts the prompts a prefill replica computed and the requests a decode
     * replica served, and a request's {@code replica} (in its record) is its decode replica once it got one.
     *
     * @param replicas number of engine replicas
     * @param router the router's name, or empty when a single replica is used without one
     * @param decisions requests the router sent to each replica, and those pinned to it (servesim serve's
     *     per-replica ports)
     * @param outputTokens output tokens generated by each replica for completed, rejected and unfinished requests
     * @param requestImbalance max / mean of {@code decisions} (1 is perfectly even), NaN without requests
     * @param outputTokenImbalance max / mean of {@code outputTokens}, NaN without output tokens
     * @param mode {@code colocated} (every replica computes prompts and outputs) or {@code disaggregated}
     * @param pools per pool ({@code prefill}, {@code decode}) in that order; empty when colocated
     * @param transferMs KV transfer time from the prefill to the decode replica (link latency plus bytes /
     *     bandwidth) of every measured request whose KV was transferred; {@link LatencyStats#EMPTY} when colocated
     * @param transferredBytes KV bytes sent from prefill to decode replicas over the whole run
     */
    public record Cluster(int replicas, String router, List<Long> decisions,
            List<Long> outputTokens, double requestImbalance, double outputTokenImbalance, String mode,
            Map<String, Pool> pools, LatencyStats transferMs, long transferredBytes) {

        /** Mode of a cluster whose replicas each serve whole requests. */
        public static final String COLOCATED = "colocated";
        /** Mode of a cluster with separate prefill and decode pools. */
        public static final String DISAGGREGATED = "disaggregated";

        /** No cluster figures: one replica, no router. */
        public static final Cluster NONE = colocated(1, "", List.of(), List.of(), Double.NaN, Double.NaN);

        public Cluster {
            requireNonNull(router, "router is null");
            decisions = List.copyOf(decisions);
            outputTokens = List.copyOf(outputTokens);
            requireNonNull(mode, "mode is null");
            pools = ordered(pools);
            requireNonNull(transferMs, "transferMs is null");
        }

        /** A co-located cluster: no pools, nothing transferred. */
        public static Cluster colocated(int replicas, String router, List<Long> decisions, List<Long> outputTokens,
                double requestImbalance, double outputTokenImbalance) {
            return new Cluster(replicas, router, decisions, outputTokens, requestImbalance, outputTokenImbalance,
                    COLOCATED, Map.of(), LatencyStats.EMPTY, 0);
        }
    }

    /**
     * One pool of a disaggregated cluster. {@code requests} covers the whole run; the fractions cover the measured
     * window (end of warm-up to end of run), as {@link KvCache#meanUsage()}.
     *
     * @param firstReplica index of the pool's first replica; its replicas are consecutive
     * @param replicas number of replicas in the pool
     * @param requests requests the router sent to the pool's replicas (prompts for the prefill pool)
     * @param busyFraction share of the window during which the pool's replicas were running a step, averaged over them
     * @param meanKvUsage time-weighted mean share of the pool's KV blocks referenced by requests
     * @since disaggregated clusters (API 0.2, additive)
     */
    public record Pool(int firstReplica, int replicas, long requests, double busyFraction, double meanKvUsage) {}

    /**
     * What the deployment uses and costs. Figures that cannot be known (an engine that does not model GPU memory, a
     * GPU without a price, no measured window or tokens) are NaN, written as {@code null}.
     *
     * @param gpus GPUs of the deployment: the sum over replicas of tensor-parallel size x pipeline stages; 0 if an
     *     engine does not report its memory
     * @param memoryPerGpu how one GPU of replica 0 is used (the most loaded GPU of the replica)
     * @param kvTokens KV capacity of the deployment in tokens (as {@link KvCache#tokens()})
     * @param kvTokensByReplica KV capacity of each replica in tokens, indexed by replica
     * @param meanSequenceTokens mean prompt plus requested output tokens of the measured requests
     * @param maxConcurrentSequences sequences of that mean length whose KV fits at once, summed over replicas:
     *     {@code floor(blocks / ceil(mean / block_size))} per replica, without prefix sharing; 0 if unknown
     * @param outputTokensPerGpuPerS output tokens per second of the measured window, per GPU
     * @param gpuHours GPUs x simulated seconds / 3600 (the whole run, warm-up included)
     * @param cost what those GPUs cost
     * @since API 0.4 (additive)
     */
    public record Resources(int gpus, GpuMemory memoryPerGpu, long kvTokens, List<Long> kvTokensByReplica,
            double meanSequenceTokens, long maxConcurrentSequences, double outputTokensPerGpuPerS, double gpuHours,
            Cost cost) {

        /** No resource figures (a summary built before API 0.4). */
        public static final Resources NONE = new Resources(0, GpuMemory.UNKNOWN, 0, List.of(), Double.NaN, 0,
                Double.NaN, Double.NaN, Cost.UNKNOWN);

        public Resources {
            requireNonNull(memoryPerGpu, "memoryPerGpu is null");
            kvTokensByReplica = List.copyOf(kvTokensByReplica);
            requireNonNull(cost, "cost is null");
        }
    }

    /**
     * The deployment's cost at a price per GPU-hour. Each per-token figure charges the whole deployment's cost to
     * the tokens of that kind over the measured window, as price sheets quote input and output prices separately.
     *
     * @param gpuHourUsd price of one GPU-hour, US dollars (the mean over replicas if their GPUs differ)
     * @param priceSource where the prices come from: {@code configuration} ({@code cost.gpu_hour_usd} or
     *     {@code cost.by_gpu}), {@code built-in table (approximate)}, both (comma separated), or empty when no price
     *     is known
     * @param usdPerHour the deployment's cost per hour: GPUs x price
     * @param usd the cost of the run's GPU-hours
     * @param usdPerMillionInputTokens {@code usd_per_hour / 3600 / input_tokens_per_s x 10^6}
     * @param usdPerMillionOutputTokens {@code usd_per_hour / 3600 / output_tokens_per_s x 10^6}
     */
    public record Cost(double gpuHourUsd, String priceSource, double usdPerHour, double usd,
            double usdPerMillionInputTokens, double usdPerMillionOutputTokens) {

        /** No price known. */
        public static final Cost UNKNOWN = new Cost(Double.NaN, "", Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        public Cost {
            requireNonNull(priceSource, "priceSource is null");
        }
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(requireNonNull(map, "map is null")));
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(map, "map is null")));
    }
}
