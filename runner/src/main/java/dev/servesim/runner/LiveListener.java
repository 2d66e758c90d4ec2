package dev.servesim.runner;

import dev.servesim.api.request.RequestRecord;

/**
 * Progress of one live request (see {@link LiveArrivals}). Called on the simulation thread, in simulated-time order:
 * hand the news to another thread and return; never block. An exception drops the listener (its client is gone) and
 * does not stop the run.
 */
public interface LiveListener {

    /**
     * The engine produced {@code count} more output tokens at {@code simulatedTime} seconds; the first call carries
     * the first token.
     */
    void onTokens(int count, double simulatedTime);

    /** The request ended: completed, rejected (see its status and reason) or unfinished (the run stopped). */
    void onEnded(RequestRecord record);
}
