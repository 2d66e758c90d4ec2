package dev.servesim.runner.simulation;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.GpuMemory;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import dev.servesim.runner.LatencyCurve;
import dev.servesim.runner.RunSettings;
import dev.servesim.runner.stats.GroupStats;
import dev.servesim.runner.stats.LatencyDigest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Aggregates request records and engine steps into the run summary. Requests arriving during the warm-up are only
 * counted. Memory is bounded: latencies are exact up to {@value #EXACT_LIMIT} samples per metric
 * ({@value #GROUP_EXACT_LIMIT} per breakdown group), then kept in HdrHistograms (see {@link LatencyDigest}).
 */
final class SummaryCollector implements RequestObserver {

    static final int EXACT_LIMIT = 1_000_000;
    static final int GROUP_EXACT_LIMIT = 100_000;
    static final String FIRST_TURN = "turn 1";
    static final String FOLLOW_UP_TURNS = "turns 2+";
    static final int CURVE_POINTS = 400;

    private final RunSettings settings;
    private final double warmup;
    private final GroupStats all;
    private final LatencyDigest itl = new LatencyDigest(EXACT_LIMIT);
    private final Map<Integer, GroupStats> byReplica = new TreeMap<>();
    private final Map<String, GroupStats> byProfile = new TreeMap<>();
    private final Map<String, GroupStats> byTurn = new LinkedHashMap<>();
    private final Map<String, Long> cacheEvents = new TreeMap<>();
    private final Map<String, Long> rejectedByReason = new TreeMap<>();
    private final Map<Integer, KvUsage> kvUsage = new TreeMap<>();
    private long arrived;
    private long completed;
    private long stopped;
    private long rejected;
    private long unfinished;
    private long warmupRequests;
    private long preemptions;
    private long computedPrefillTokens;
    private long sequenceTokens;

    @Inject
    SummaryCollector(RunSettings settings) {
        this.settings = settings;
        this.warmup = settings.warmup();
        this.all = new GroupStats(settings.slo(), EXACT_LIMIT);
        byTurn.put(FIRST_TURN, new GroupStats(settings.slo(), GROUP_EXACT_LIMIT));
        byTurn.put(FOLLOW_UP_TURNS, new GroupStats(settings.slo(), GROUP_EXACT_LIMIT));
    }

    private boolean measured(Request request) {
        return request.arrivalTime() >= warmup;
    }

    @Override
    public void arrived(Request request) {
        arrived++;
    }

    @Override
    public void interTokenGap(Request request, double seconds) {
        if (measured(request)) {
            itl.add(seconds);
        }
    }

    void step(StepRecord step) {
        preemptions += step.preemptions();
        double end = step.startTime() + step.duration();
        if (step.startTime() >= warmup) {
            computedPrefillTokens += step.prefillTokens();
        }
        kvUsage.computeIfAbsent(step.replica(), replica -> new KvUsage(warmup)).step(end, step);
    }

    /** The category of a rejection reason: the text before {@code ": "} (RequestListener#onRejected). */
    static String category(String reason) {
        if (reason == null) {
            return "unknown";
        }
        int colon = reason.indexOf(": ");
        return colon > 0 ? reason.substring(0, colon) : reason;
    }

    @Override
    public void ended(RequestRecord record, int prefillReplica) {
        switch (record.status()) {
            case COMPLETED -> {
                completed++;
                if (record.finishReason().equals(RequestRecord.STOP)) {
                    stopped++;
                }
            }
            case REJECTED -> {
                rejected++;
                rejectedByReason.merge(category(record.reason()), 1L, Long::sum);
            }
            case UNFINISHED -> unfinished++;
        }
        if (!measured(record.request())) {
            warmupRequests++;
            return;
        }
        all.add(record);
        sequenceTokens += (long) record.request().promptTokens() + record.request().maxOutputTokens();
        byReplica.computeIfAbsent(record.replica(), r -> new GroupStats(settings.slo(), GROUP_EXACT_LIMIT)).add(record);
        String profile = record.request().profile().isEmpty() ? "default" : record.request().profile();
        byProfile.computeIfAbsent(profile, p -> new GroupStats(settings.slo(), GROUP_EXACT_LIMIT)).add(record);
        byTurn.get(record.request().turn() == 1 ? FIRST_TURN : FOLLOW_UP_TURNS).add(record);
        if (!record.cacheEvent().isEmpty()) {
            cacheEvents.merge(record.cacheEvent(), 1L, Long::sum);
        }
    }

    long arrivedCount() {
        return arrived;
    }

    long accountedCount() {
        return completed + rejected + unfinished;
    }

    /** The overall group (TTFT/E2E/TPOT digests for plots). */
    GroupStats all() {
        return all;
    }

    /** The turn cohorts, in order. */
    Map<String, GroupStats> byTurn() {
        return byTurn;
    }

    /** TTFT and E2E by turn cohort and TPOT overall, as quantile samples for plots. */
    List<LatencyCurve> curves() {
        List<LatencyCurve> curves = new ArrayList<>();
        curves.add(new LatencyCurve("ttft", "all", all.ttft().quantilesMillis(CURVE_POINTS)));
        curves.add(new LatencyCurve("e2e", "all", all.e2e().quantilesMillis(CURVE_POINTS)));
        curves.add(new LatencyCurve("tpot", "all", all.tpot().quantilesMillis(CURVE_POINTS)));
        byTurn.forEach((cohort, group) -> {
            curves.add(new LatencyCurve("ttft", cohort, group.ttft().quantilesMillis(CURVE_POINTS)));
            curves.add(new LatencyCurve("e2e", cohort, group.e2e().quantilesMillis(CURVE_POINTS)));
        });
        return curves;
    }

    RunSummary summarize(RunMetadata run, double end, List<EngineInfo> engines, String cacheStrategy,
            CacheStats cache, Map<String, Long> workloadCounters, Map<String, Long> engineCounters,
            RunSummary.Cluster cluster) {
        double window = end - warmup;
        double rateWindow = window > 0 ? window : Double.NaN;
        boolean exact = all.exact() && itl.exact();
        for (GroupStats group : byReplica.values()) {
            exact &= group.exact();
        }
        for (GroupStats group : byProfile.values()) {
            exact &= group.exact();
        }
        for (GroupStats group : byTurn.values()) {
            exact &= group.exact();
        }
        String percentiles = exact ? "exact (linear interpolation between closest ranks)"
                : "exact (linear interpolation) where a metric has at most " + GROUP_EXACT_LIMIT + " samples ("
                        + EXACT_LIMIT + " overall), else HdrHistogram with " + LatencyDigest.SIGNIFICANT_DIGITS
                        + " significant digits";
        RunSummary.Throughput throughput = new RunSummary.Throughput(all.completed() / rateWindow,
                all.completedPromptTokens() / rateWindow, all.outputTokens() / rateWindow);
        return new RunSummary(run.name(), run.version(), settings.seed(), run.configHash(), !run.stopReason().isEmpty(),
                run.stopReason(), end,
                run.wallSeconds(), run.wallSeconds() > 0 ? end / run.wallSeconds() : Double.NaN, percentiles,
                new RunSummary.Requests(arrived, completed, rejected, unfinished, rejectedByReason, warmupRequests,
                        finishedByReason()),
                new RunSummary.Latencies(all.ttft().millis(), all.tpot().millis(), itl.millis(), all.e2e().millis(),
                        all.queue().millis()),
                throughput,
                goodput(rateWindow),
                prefixCache(cacheStrategy, cache),
                kvCache(engines, cache, end),
                workloadCounters,
                new RunSummary.Breakdown(groups(byReplica, window), groups(byProfile, window), groups(byTurn, window)),
                engineCounters, cluster, resources(engines, end, throughput));
    }

    private Map<String, Long> finishedByReason() {
        Map<String, Long> counts = new TreeMap<>();
        counts.put(RequestRecord.LENGTH, completed - stopped);
        counts.put(RequestRecord.STOP, stopped);
        return counts;
    }

    private RunSummary.Resources resources(List<EngineInfo> engines, double end, RunSummary.Throughput throughput) {
        boolean known = !engines.isEmpty() && engines.stream().allMatch(engine -> engine.memory().known());
        int gpus = known ? engines.stream().mapToInt(engine -> engine.memory().gpusPerReplica()).sum() : 0;
        List<Long> kvTokensByReplica = engines.stream().map(EngineInfo::kvTokens).toList();
        long kvTokens = kvTokensByReplica.stream().mapToLong(Long::longValue).sum();
        double meanSequence = GroupStats.ratio(sequenceTokens, all.requests());
        long maxConcurrent = 0;
        if (meanSequence > 0) {
            for (EngineInfo engine : engines) {
                if (engine.blockSizeTokens() > 0) {
                    maxConcurrent += engine.kvBlocks() / (long) Math.ceil(meanSequence / engine.blockSizeTokens());
                }
            }
        }
        double gpuHours = gpus > 0 ? gpus * end / 3600 : Double.NaN;
        return new RunSummary.Resources(gpus, engines.isEmpty() ? GpuMemory.UNKNOWN : engines.get(0).memory(),
                kvTokens, kvTokensByReplica, meanSequence, maxConcurrent,
                gpus > 0 ? throughput.outputTokensPerS() / gpus : Double.NaN, gpuHours,
                cost(engines, gpus, end, throughput));
    }

    /** Every replica's GPUs at the configured price, else at the built-in one; unknown if a GPU has neither. */
    private RunSummary.Cost cost(List<EngineInfo> engines, int gpus, double end, RunSummary.Throughput throughput) {
        if (gpus == 0) {
            return RunSummary.Cost.UNKNOWN;
        }
        double usdPerHour = 0;
        Set<String> sources = new TreeSet<>();
        for (EngineInfo engine : engines) {
            String gpu = engine.memory().gpu();
            Optional<Double> configured = settings.cost().price(gpu);
            OptionalDouble price = configured.isPresent() ? OptionalDouble.of(configured.get())
                    : GpuPrices.builtIn(gpu);
            if (price.isEmpty()) {
                return RunSummary.Cost.UNKNOWN;
            }
            sources.add(configured.isPresent() ? GpuPrices.CONFIGURED : GpuPrices.BUILT_IN);
            usdPerHour += engine.memory().gpusPerReplica() * price.getAsDouble();
        }
        return new RunSummary.Cost(usdPerHour / gpus, String.join(", ", sources), usdPerHour,
                usdPerHour * end / 3600, perMillion(usdPerHour, throughput.inputTokensPerS()),
                perMillion(usdPerHour, throughput.outputTokensPerS()));
    }

    /** Dollars per million tokens at {@code tokensPerS}; NaN without tokens. */
    private static double perMillion(double usdPerHour, double tokensPerS) {
        return tokensPerS > 0 ? usdPerHour / 3600 / tokensPerS * 1e6 : Double.NaN;
    }

    /** Without an SLO goodput is undefined: share and rate are NaN (null), not every completed request. */
    private RunSummary.Goodput goodput(double rateWindow) {
        boolean set = settings.slo().hasObjective();
        return new RunSummary.Goodput(millis(settings.slo().ttft()), millis(settings.slo().tpot()), all.good(),
                set ? GroupStats.ratio(all.good(), all.requests()) : Double.NaN,
                set ? all.good() / rateWindow : Double.NaN);
    }

    private RunSummary.PrefixCache prefixCache(String strategy, CacheStats cache) {
        GroupStats followUps = byTurn.get(FOLLOW_UP_TURNS);
        double prefillReduction = all.promptTokens() == 0 ? Double.NaN
                : 1 - (double) computedPrefillTokens / all.promptTokens();
        return new RunSummary.PrefixCache(strategy, GroupStats.ratio(all.cachedTokens(), all.promptTokens()),
                GroupStats.ratio(all.requestsWithHit(), all.requests()),
                GroupStats.ratio(followUps.requestsWithHit(), followUps.requests()), prefillReduction,
                all.cachedTokens(), cacheEvents, cache.evictedBlocks(), cache.peakCachedBlocks());
    }

    private RunSummary.KvCache kvCache(List<EngineInfo> engines, CacheStats cache, double end) {
        long blocks = 0;
        long tokens = 0;
        int blockSize = 0;
        for (EngineInfo engine : engines) {
            blocks += engine.kvBlocks();
            tokens += engine.kvTokens();
            blockSize = Math.max(blockSize, engine.blockSizeTokens());
        }
        double peak = Double.NaN;
        double usedBlockSeconds = 0;
        for (KvUsage usage : kvUsage.values()) {
            usage.finish(end);
            peak = Double.isNaN(peak) ? usage.peak : Math.max(peak, usage.peak);
            usedBlockSeconds += usage.usedBlockSeconds;
        }
        double window = end - warmup;
        double mean = blocks == 0 || window <= 0 ? Double.NaN : usedBlockSeconds / (blocks * window);
        return new RunSummary.KvCache(blocks, blockSize, tokens, blocks == 0 ? Double.NaN : peak, mean, preemptions,
                cache.evictedBlocks());
    }

    private static <K> Map<String, RunSummary.Group> groups(Map<K, GroupStats> groups, double window) {
        Map<String, RunSummary.Group> result = new LinkedHashMap<>();
        groups.forEach((key, group) -> result.put(String.valueOf(key), group.toGroup(window)));
        return result;
    }

    private static double millis(Double seconds) {
        return seconds == null ? Double.NaN : seconds * 1000;
    }

    /** Time-weighted KV blocks in use by one replica, from its step records, over the measured window. */
    private static final class KvUsage {
        private final double from;
        private double lastTime;
        private int lastUsed;
        private double usedBlockSeconds;
        private double busySeconds;
        private double peak;

        KvUsage(double from) {
            this.from = from;
            this.lastTime = from;
        }

        void step(double end, StepRecord step) {
            accumulate(end);
            busySeconds += Math.max(0, end - Math.max(step.startTime(), from));
            lastUsed = step.kvBlocksUsed();
            if (step.kvBlocksTotal() > 0) {
                peak = Math.max(peak, step.kvUsage());
            }
        }

        void finish(double end) {
            accumulate(end);
        }

        private void accumulate(double until) {
            double start = Math.max(lastTime, from);
            if (until > start) {
                usedBlockSeconds += lastUsed * (until - start);
            }
            lastTime = Math.max(lastTime, until);
        }
    }

    /**
     * Step time and KV blocks in use of one replica over the measured window, up to {@code end}.
     */
    ReplicaUse replicaUse(int replica, double end) {
        KvUsage usage = kvUsage.get(replica);
        if (usage == null) {
            return new ReplicaUse(0, 0);
        }
        usage.finish(end);
        return new ReplicaUse(usage.busySeconds, usage.usedBlockSeconds);
    }

    /** Seconds a replica spent in steps, and its referenced KV blocks integrated over time. */
    record ReplicaUse(double busySeconds, double usedBlockSeconds) {}

    /**
     * What the summary needs to know about the run itself.
     *
     * @param stopReason why the run stopped early, empty if it did not
     */
    record RunMetadata(String name, String version, String configHash, String stopReason, double wallSeconds) {}
}
