package dev.servesim.runner.simulation;

import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.metrics.LatencyStats;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates request records into the run summary. Percentiles are exact: every sample is kept (8 bytes each) and
 * sorted once at the end, with linear interpolation between closest ranks (numpy's default).
 */
final class SummaryCollector {

    private final DoubleArrayList ttft = new DoubleArrayList();
    private final DoubleArrayList tpot = new DoubleArrayList();
    private final DoubleArrayList itl = new DoubleArrayList();
    private final DoubleArrayList e2e = new DoubleArrayList();
    private final DoubleArrayList queue = new DoubleArrayList();
    private final Map<String, Long> rejectedByReason = new TreeMap<>();
    private long arrived;
    private long completed;
    private long rejected;
    private long unfinished;
    private long inputTokens;
    private long outputTokens;
    private long preemptions;

    @Inject
    SummaryCollector() {}

    void arrived() {
        arrived++;
    }

    void interTokenGap(double seconds) {
        itl.add(seconds);
    }

    void step(StepRecord step) {
        preemptions += step.preemptions();
    }

    void finished(RequestRecord record) {
        outputTokens += record.outputTokens();
        if (!Double.isNaN(record.firstTokenTime())) {
            ttft.add(record.ttft());
        }
        if (!Double.isNaN(record.scheduledTime()) && !Double.isNaN(record.queuedTime())) {
            queue.add(record.queueTime());
        }
        switch (record.status()) {
            case COMPLETED -> {
                completed++;
                inputTokens += record.request().promptTokens();
                e2e.add(record.e2e());
                if (!Double.isNaN(record.meanItl())) {
                    tpot.add(record.meanItl());
                }
            }
            case REJECTED -> {
                rejected++;
                rejectedByReason.merge(record.reason(), 1L, Long::sum);
            }
            case UNFINISHED -> unfinished++;
        }
    }

    long arrivedCount() {
        return arrived;
    }

    long accountedCount() {
        return completed + rejected + unfinished;
    }

    RunSummary summarize(String runName, long seed, boolean partial, double simulatedSeconds, double wallSeconds,
            List<EngineInfo> engines) {
        double span = simulatedSeconds > 0 ? simulatedSeconds : Double.NaN;
        long kvBlocks = 0;
        long kvTokens = 0;
        int blockSize = 0;
        for (EngineInfo engine : engines) {
            kvBlocks += engine.kvBlocks();
            kvTokens += engine.kvTokens();
            blockSize = Math.max(blockSize, engine.blockSizeTokens());
        }
        return new RunSummary(runName, seed, partial, simulatedSeconds, wallSeconds,
                new RunSummary.Requests(arrived, completed, rejected, unfinished, rejectedByReason),
                new RunSummary.Latencies(millis(ttft), millis(tpot), millis(itl), millis(e2e), millis(queue)),
                new RunSummary.Throughput(completed / span, inputTokens / span, outputTokens / span),
                new RunSummary.KvCache(kvBlocks, blockSize, kvTokens, preemptions));
    }

    /** Exact statistics of the samples (seconds), reported in milliseconds. */
    static LatencyStats millis(DoubleArrayList samples) {
        int n = samples.size();
        if (n == 0) {
            return LatencyStats.EMPTY;
        }
        double[] sorted = samples.toDoubleArray();
        java.util.Arrays.sort(sorted);
        double sum = 0;
        for (double value : sorted) {
            sum += value;
        }
        return new LatencyStats(n, 1000 * sum / n, 1000 * percentile(sorted, 50), 1000 * percentile(sorted, 90),
                1000 * percentile(sorted, 95), 1000 * percentile(sorted, 99), 1000 * sorted[n - 1]);
    }

    /** Percentile {@code p} (0-100) of sorted values, linear between closest ranks: numpy.percentile's default. */
    static double percentile(double[] sorted, double p) {
        double rank = p / 100.0 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = rank - below;
        return sorted[below] + (sorted[above] - sorted[below]) * fraction;
    }
}
