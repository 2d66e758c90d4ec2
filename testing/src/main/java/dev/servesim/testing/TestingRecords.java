package dev.servesim.testing;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.metrics.LatencyStats;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a metric sink receives, for sink tests: request records and a run summary. */
public final class TestingRecords {

    private TestingRecords() {}

    /**
     * A request that completed on replica 0: admitted at arrival, first token at {@code firstTokenTime}, its last
     * output token at {@code finishTime}, evenly spaced, nothing cached.
     */
    public static RequestRecord completed(Request request, double firstTokenTime, double finishTime) {
        int tokens = request.maxOutputTokens();
        double itl = tokens > 1 ? (finishTime - firstTokenTime) / (tokens - 1) : Double.NaN;
        return new RequestRecord(request, 0, RequestStatus.COMPLETED, "", request.arrivalTime(),
                request.arrivalTime(), firstTokenTime, finishTime, tokens, 0, "MISS", 0, itl, itl);
    }

    /** A request that replica 0 rejected at its arrival, e.g. {@code reason = "prompt longer than max_model_len"}. */
    public static RequestRecord rejected(Request request, String reason) {
        return new RequestRecord(request, 0, RequestStatus.REJECTED, requireNonNull(reason, "reason is null"),
                Double.NaN, Double.NaN, Double.NaN, request.arrivalTime(), 0, 0, "", 0, Double.NaN, Double.NaN);
    }

    /**
     * The summary of a run that ended normally after {@code records}: their counts, no latency figures, no warm-up,
     * one replica without a router.
     */
    public static RunSummary summary(String runName, List<RequestRecord> records) {
        long completed = 0;
        long rejected = 0;
        double end = 0;
        Map<String, Long> reasons = new TreeMap<>();
        for (RequestRecord record : records) {
            if (record.status() == RequestStatus.COMPLETED) {
                completed++;
            } else if (record.status() == RequestStatus.REJECTED) {
                rejected++;
                int colon = record.reason().indexOf(':');
                reasons.merge(colon < 0 ? record.reason() : record.reason().substring(0, colon), 1L, Long::sum);
            }
            end = Math.max(end, record.finishTime());
        }
        LatencyStats none = LatencyStats.EMPTY;
        return new RunSummary(runName, "test", 1, "0", false, "", end, Double.NaN, Double.NaN, "exact",
                new RunSummary.Requests(records.size(), completed, rejected, records.size() - completed - rejected,
                        reasons, 0),
                new RunSummary.Latencies(none, none, none, none, none), new RunSummary.Throughput(0, 0, 0),
                new RunSummary.Goodput(Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN),
                new RunSummary.PrefixCache("disabled", 0, 0, 0, 0, 0, Map.of(), 0, 0),
                new RunSummary.KvCache(0, 0, 0, 0, 0, 0, 0), Map.of(),
                new RunSummary.Breakdown(Map.of(), Map.of(), Map.of()), Map.of(), RunSummary.Cluster.NONE);
    }
}
