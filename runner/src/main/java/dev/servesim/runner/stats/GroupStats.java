package dev.servesim.runner.stats;

import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.runner.Slo;

/** Counts, token totals and latency distributions of one group of measured requests. */
public final class GroupStats {

    private final Slo slo;
    private final LatencyDigest ttft;
    private final LatencyDigest tpot;
    private final LatencyDigest e2e;
    private final LatencyDigest queue;
    private long requests;
    private long completed;
    private long rejected;
    private long unfinished;
    private long promptTokens;
    private long completedPromptTokens;
    private long cachedTokens;
    private long outputTokens;
    private long requestsWithHit;
    private long good;

    /** @param exactLimit samples per latency kept exactly before falling back to a histogram */
    public GroupStats(Slo slo, int exactLimit) {
        this.slo = slo;
        ttft = new LatencyDigest(exactLimit);
        tpot = new LatencyDigest(exactLimit);
        e2e = new LatencyDigest(exactLimit);
        queue = new LatencyDigest(exactLimit);
    }

    public void add(RequestRecord record) {
        requests++;
        int prompt = record.request().promptTokens();
        promptTokens += prompt;
        cachedTokens += record.cachedTokens();
        outputTokens += record.outputTokens();
        if (record.cachedTokens() > 0) {
            requestsWithHit++;
        }
        ttft.add(record.ttft());
        queue.add(record.queueTime());
        switch (record.status()) {
            case COMPLETED -> {
                completed++;
                completedPromptTokens += prompt;
                e2e.add(record.e2e());
                tpot.add(record.meanItl());
                if (slo.met(record.ttft(), record.meanItl())) {
                    good++;
                }
            }
            case REJECTED -> rejected++;
            case UNFINISHED -> unfinished++;
        }
    }

    public long requests() {
        return requests;
    }

    public long completed() {
        return completed;
    }

    public long rejected() {
        return rejected;
    }

    public long unfinished() {
        return unfinished;
    }

    public long promptTokens() {
        return promptTokens;
    }

    public long completedPromptTokens() {
        return completedPromptTokens;
    }

    public long cachedTokens() {
        return cachedTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public long requestsWithHit() {
        return requestsWithHit;
    }

    public long good() {
        return good;
    }

    public LatencyDigest ttft() {
        return ttft;
    }

    public LatencyDigest tpot() {
        return tpot;
    }

    public LatencyDigest e2e() {
        return e2e;
    }

    public LatencyDigest queue() {
        return queue;
    }

    /** True if every latency of the group still has exact percentiles. */
    public boolean exact() {
        return ttft.exact() && tpot.exact() && e2e.exact() && queue.exact();
    }

    /** The group's figures, with rates over a measured window of {@code windowSeconds}. */
    public RunSummary.Group toGroup(double windowSeconds) {
        double window = windowSeconds > 0 ? windowSeconds : Double.NaN;
        return new RunSummary.Group(requests, completed, rejected, unfinished, ttft.millis(), tpot.millis(),
                e2e.millis(), queue.millis(), completed / window, outputTokens / window, ratio(cachedTokens, promptTokens),
                slo.hasObjective() ? ratio(good, requests) : Double.NaN);
    }

    /** {@code part / whole}, NaN when {@code whole} is 0. */
    public static double ratio(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
