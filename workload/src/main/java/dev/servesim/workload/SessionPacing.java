package dev.servesim.workload;

import dev.servesim.workload.trace.TraceEntry;

/**
 * Session-paced replay of a trace ({@code replay_sessions}): {@link TraceSessions} for recorded sessions and the
 * chains of Mooncake-style traces, {@link TraceParents} for vllm-vcr traces.
 */
interface SessionPacing {

    /** Sends one request of a session now. */
    interface Sender {
        void send(TraceEntry entry, long requestId, long sessionId, int turn);
    }

    /** The request {@code entry} reached its recorded time: send it now, or when what it follows is done. */
    void arrive(TraceEntry entry, long requestId);

    /** A request completed or was rejected: what follows it may go. */
    void done(long requestId);

    /** Sessions started. */
    long sessions();

    /** Requests that followed an earlier one. */
    long followUpTurns();

    /** Sessions (or requests) forgotten for matching, the oldest first, to bound the memory. */
    long forgottenSessions();
}
