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
     * The engine produced {@code count} output tokens of {@code request} at {@code time} (the first call carries the
     * first token). Only observers added with {@link RequestTracker#observeTokens} are told: it runs for every token.
     */
    default void tokens(Request request, double time, int count) {}

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
