package dev.servesim.api.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Results of a run, as written to {@code summary.json} (component names become snake_case keys).
 *
 * @param runName name of the run
 * @param seed run seed
 * @param partial true if the run was interrupted before it ended
 * @param simulatedSeconds simulated time at the end of the run
 * @param wallSeconds wall-clock duration of the simulation (the only non-deterministic field, with speed)
 * @param requests request counts
 * @param latencyMs latency distributions in milliseconds
 * @param throughput rates over simulated time
 * @param kvCache KV capacity of the replicas
 */
public record RunSummary(
        String runName,
        long seed,
        boolean partial,
        double simulatedSeconds,
        double wallSeconds,
        Requests requests,
        Latencies latencyMs,
        Throughput throughput,
        KvCache kvCache) {

    public RunSummary {
        requireNonNull(runName, "runName is null");
        requireNonNull(requests, "requests is null");
        requireNonNull(latencyMs, "latencyMs is null");
        requireNonNull(throughput, "throughput is null");
        requireNonNull(kvCache, "kvCache is null");
    }

    /**
     * Request counts: {@code arrived == completed + rejected + unfinished}.
     *
     * @param rejectedByReason rejections per reason, sorted by reason
     */
    public record Requests(long arrived, long completed, long rejected, long unfinished,
            Map<String, Long> rejectedByReason) {

        public Requests {
            rejectedByReason = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(rejectedByReason));
        }
    }

    /**
     * Latency distributions over completed requests (TTFT also over requests that got a first token).
     *
     * @param ttft time to first token
     * @param tpot per request, mean gap between output tokens after the first
     * @param itl every gap between consecutive output tokens
     * @param e2e arrival to last token
     * @param queue entering the waiting queue to first admission
     */
    public record Latencies(LatencyStats ttft, LatencyStats tpot, LatencyStats itl, LatencyStats e2e,
            LatencyStats queue) {}

    /**
     * Rates over the simulated duration of the run.
     *
     * @param requestsPerS completed requests per second
     * @param inputTokensPerS prompt tokens of completed requests per second
     * @param outputTokensPerS output tokens generated per second
     */
    public record Throughput(double requestsPerS, double inputTokensPerS, double outputTokensPerS) {}

    /**
     * KV capacity, summed over replicas.
     *
     * @param blocks usable KV blocks
     * @param blockSize tokens per block
     * @param tokens KV capacity in tokens
     * @param preemptions preemptions in the run
     */
    public record KvCache(long blocks, int blockSize, long tokens, long preemptions) {}
}
