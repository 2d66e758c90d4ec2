package dev.servesim.runner.simulation;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;

/**
 * Something that follows requests from arrival to end: the summary, the sinks, the deployment (router feedback,
 * replica counters) and the workload (closed loops). The {@link RequestTracker} notifies its observers in the order
 * they were added ({@link RunExecution} adds them in that order), once per request and event.
 */
interface RequestObserver {

    /** A request arrived and was routed; it is now in flight. */
    default void arrived(Request request) {}

    /**
     * A replica produced {@code count} output tokens of {@code request} at {@code time}, {@code gapSeconds} after
     * its previous batch (NaN: the first token). Only observers added with {@link RequestTracker#observeDetails} are
     * told: it runs for every token batch.
     */
    default void tokens(Request request, int replica, double time, int count, double gapSeconds) {}

    /**
     * A replica admitted {@code request} at {@code time} (again after a preemption), looking up
     * {@code queriedTokens} tokens in its prefix cache and finding {@code cachedTokens}. Only observers added with
     * {@link RequestTracker#observeDetails} are told.
     */
    default void admitted(Request request, int replica, double time, int queriedTokens, int cachedTokens) {}

    /** The client saw another output batch of {@code request}, {@code seconds} after the previous one. */
    default void interTokenGap(Request request, double seconds) {}

    /**
     * A request ended for its client: completed or rejected.
     *
     * @param prefillReplica the replica that computed its prompt in a disaggregated deployment, else -1
     */
    void ended(RequestRecord record, int prefillReplica);

    /** A request was still in flight when the run ended; its record says unfinished. Default: as {@link #ended}. */
    default void unfinished(RequestRecord record) {
        ended(record, -1);
    }
}
