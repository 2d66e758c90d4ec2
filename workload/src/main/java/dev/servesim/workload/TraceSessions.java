package dev.servesim.workload;

import dev.servesim.api.sim.EventScheduler;
import dev.servesim.workload.trace.TraceEntry;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayDeque;

/**
 * Session-paced replay. A request's session is the one the trace records ({@code session_id} and {@code turn} of the
 * servesim format, as trace-dump writes them); in traces without sessions (Mooncake), a request whose chain of full
 * hash blocks starts with an open session's whole chain is that session's next turn. A later turn is sent when the
 * session's previous turn has finished plus the recorded think gap, and never before its own recorded time (the
 * reader stays in time order with one line of look-ahead). The recorded think gap is the request's recorded arrival
 * minus the previous turn's recorded finish (arrival plus e2e) when the trace records latencies (trace-dump output);
 * traces without them give no gap, so a turn goes at its recorded time or as soon as the previous turn finishes,
 * whichever is later.
 *
 * <p>Open sessions are found through two maps, from the hash of a session's last full block and from a recorded
 * session id, each holding at most {@code capacity} sessions, the least recently continued forgotten first (a later
 * turn of a forgotten session starts a new one). With the requests in flight or waiting for their previous turn, that
 * bounds the memory.
 */
final class TraceSessions implements SessionPacing {

    private final Long2ObjectLinkedOpenHashMap<Session> byChainEnd = new Long2ObjectLinkedOpenHashMap<>();
    private final Long2ObjectLinkedOpenHashMap<Session> byRecordedId = new Long2ObjectLinkedOpenHashMap<>();
    private final Long2ObjectOpenHashMap<Session> byRequest = new Long2ObjectOpenHashMap<>();
    private final int capacity;
    private final double speedup;
    private final EventScheduler scheduler;
    private final Sender sender;
    private long sessions;
    private long followUpTurns;
    private long forgottenSessions;

    TraceSessions(int capacity, double speedup, EventScheduler scheduler, Sender sender) {
        this.capacity = capacity;
        this.speedup = speedup;
        this.scheduler = scheduler;
        this.sender = sender;
    }

    @Override
    public long sessions() {
        return sessions;
    }

    @Override
    public long followUpTurns() {
        return followUpTurns;
    }

    @Override
    public long forgottenSessions() {
        return forgottenSessions;
    }

    /** The request {@code entry} reached its recorded time: send it now, or when its previous turn is done. */
    @Override
    public void arrive(TraceEntry entry, long requestId) {
        boolean recorded = entry.sessionId() >= 0;
        Session session = recorded ? recordedSession(entry) : chainSession(entry);
        if (session == null) {
            sessions++;
            session = new Session(recorded ? entry.sessionId() : requestId);
            session.turns = Math.max(1, entry.turn());
            session.recordedFinish = recordedFinish(entry);
            if (recorded) {
                remember(byRecordedId, entry.sessionId(), session);
            } else {
                rememberChain(session, entry);
            }
            session.busy = true;
            byRequest.put(requestId, session);
            sender.send(entry, requestId, session.id, session.turns);
            return;
        }
        followUpTurns++;
        int turn = recorded ? entry.turn() : session.turns + 1;
        session.turns = turn;
        double think = Double.isNaN(session.recordedFinish) ? 0
                : Math.max(0, entry.time() - session.recordedFinish) / speedup;
        session.recordedFinish = recordedFinish(entry);
        if (recorded) {
            byRecordedId.getAndMoveToLast(entry.sessionId());
        } else {
            byChainEnd.remove(session.chainEnd);
            rememberChain(session, entry);
        }
        byRequest.put(requestId, session);
        double now = scheduler.now();
        if (!session.busy) {
            session.busy = true;
            sendAt(Math.max(now, session.lastFinish + think), entry, requestId, session, turn);
        } else {
            if (session.waiting == null) {
                session.waiting = new ArrayDeque<>(2);
            }
            session.waiting.addLast(new Waiting(entry, requestId, turn, think, now));
        }
    }

    /** The open session the trace names, if this is one of its later turns. */
    private Session recordedSession(TraceEntry entry) {
        if (entry.turn() <= 1) {
            return null;
        }
        Session session = byRecordedId.get(entry.sessionId());
        return session != null && session.matchable ? session : null;
    }

    /** The open session whose whole chain this request's full blocks extend, the longest if several. */
    private Session chainSession(TraceEntry entry) {
        long[] hashes = entry.blockHashes();
        for (int k = entry.fullBlocks(); k >= 1; k--) {
            Session candidate = byChainEnd.get(hashes[k - 1]);
            if (candidate != null && candidate.chainLength == k) {
                return candidate;
            }
        }
        return null;
    }

    /** A request completed or was rejected: its session's next turn may go. */
    @Override
    public void done(long requestId) {
        Session session = byRequest.remove(requestId);
        if (session == null) {
            return;
        }
        double now = scheduler.now();
        session.busy = false;
        session.lastFinish = now;
        if (session.waiting != null && !session.waiting.isEmpty()) {
            Waiting next = session.waiting.pollFirst();
            session.busy = true;
            sendAt(Math.max(next.recordedTime, now + next.think), next.entry, next.requestId, session, next.turn);
        }
    }

    private void sendAt(double time, TraceEntry entry, long requestId, Session session, int turn) {
        if (time <= scheduler.now()) {
            sender.send(entry, requestId, session.id, turn);
        } else {
            scheduler.scheduleAt(time, () -> sender.send(entry, requestId, session.id, turn));
        }
    }

    private void rememberChain(Session session, TraceEntry entry) {
        int full = entry.fullBlocks();
        if (full == 0) {
            // no full block: nothing can extend it
            session.chainLength = 0;
            return;
        }
        session.chainEnd = entry.blockHashes()[full - 1];
        session.chainLength = full;
        remember(byChainEnd, session.chainEnd, session);
    }

    private void remember(Long2ObjectLinkedOpenHashMap<Session> map, long key, Session session) {
        Session replaced = map.putAndMoveToLast(key, session);
        if (replaced != null && replaced != session) {
            // the same chain (or a reused session id) of another session: the newer request takes it over
            replaced.forget();
        }
        while (map.size() > capacity) {
            map.removeFirst().forget();
            forgottenSessions++;
        }
    }

    private static double recordedFinish(TraceEntry entry) {
        return Double.isNaN(entry.e2e()) ? Double.NaN : entry.time() + entry.e2e();
    }

    private record Waiting(TraceEntry entry, long requestId, int turn, double think, double recordedTime) {}

    private static final class Session {
        final long id;
        int turns;
        long chainEnd;
        int chainLength;
        boolean matchable = true;
        boolean busy;
        double lastFinish = Double.NaN;
        double recordedFinish = Double.NaN;
        ArrayDeque<Waiting> waiting;

        Session(long id) {
            this.id = id;
        }

        void forget() {
            chainLength = 0;
            matchable = false;
        }
    }
}
