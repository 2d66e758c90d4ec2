package dev.servesim.runner.simulation;

import dev.servesim.api.metrics.LatencyStats;
import dev.servesim.api.request.Request;
import dev.servesim.runner.ClusterSettings;
import dev.servesim.runner.stats.LatencyDigest;

/**
 * The KV cache of a prefilled prompt crossing from a prefill replica to a decode replica: latency plus bytes over
 * the link's bandwidth (reference 7.2), with the bytes per token the prefill engine reports
 * ({@link dev.servesim.api.engine.KvTransferSupport#kvBytesPerToken()}).
 */
final class KvTransfer {

    private final ClusterSettings.TransferSettings settings;
    private final double warmup;
    private final LatencyDigest times = new LatencyDigest(SummaryCollector.GROUP_EXACT_LIMIT);
    private long bytes;

    KvTransfer(ClusterSettings.TransferSettings settings, double warmup) {
        this.settings = settings;
        this.warmup = warmup;
    }

    /**
     * Seconds the KV cache of {@code request}'s prompt takes to leave a replica whose engine holds
     * {@code kvBytesPerToken} bytes per token; recorded for the summary.
     */
    double seconds(Request request, long kvBytesPerToken) {
        long requestBytes = (long) request.promptTokens() * kvBytesPerToken;
        double seconds = settings.latency() + requestBytes / settings.bytesPerSecond();
        bytes += requestBytes;
        if (request.arrivalTime() >= warmup) {
            times.add(seconds);
        }
        return seconds;
    }

    LatencyStats millis() {
        return times.millis();
    }

    long bytes() {
        return bytes;
    }
}
