package dev.servesim.api.router;

import dev.servesim.api.request.Request;

/**
 * What a router knows of one engine replica. Load figures are those of the replica's last periodic report
 * ({@link #reportTime()}), so they lag the replica by up to the cluster's {@code report_interval}; {@link #inFlight()}
 * is the router's own exact count; cached prefixes come from the cache events the replica published.
 */
public interface ReplicaView {

    /** Position of the replica in the cluster, from 0. */
    int index();

    /** Requests in the replica's running batch, as last reported. */
    int running();

    /** Requests in the replica's waiting queue, as last reported. */
    int waiting();

    /** Requests on the replica (running plus waiting), as last reported. */
    default int outstanding() {
        return running() + waiting();
    }

    /**
     * Requests this router sent to the replica that have not completed or been rejected yet. Exact and current: a
     * real router proxies every request and sees its response end.
     */
    int inFlight();

    /** Fraction of the replica's KV blocks referenced by requests, 0 to 1, as last reported. */
    double kvUsage();

    /** Simulated time of the last load report, seconds; 0 before the first. */
    double reportTime();

    /**
     * Number of leading full KV blocks of {@code request}'s prompt that the replica holds cached, according to the
     * cache events (block stored, block evicted) it published so far. Counts from the first block up to the first one
     * not cached, as a prefix cache would match it. 0 if the replica's engine does not model KV blocks.
     */
    int cachedPrefixBlocks(Request request);

    /** Full KV blocks of {@code request}'s prompt (prompt tokens divided by the block size, rounded down). */
    int promptBlocks(Request request);
}
