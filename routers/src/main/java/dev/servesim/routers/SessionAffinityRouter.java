package dev.servesim.routers;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import dev.servesim.api.sim.SimClock;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.List;

/**
 * Keeps a session on one replica while it has requests in flight or its last request ended less than the idle
 * timeout ago; places new (or expired) sessions least-loaded. Expired bindings are dropped in sweeps whenever the
 * table has doubled, so memory follows the number of live sessions.
 */
final class SessionAffinityRouter implements Router {

    private static final int FIRST_SWEEP = 1024;

    private final SimClock clock;
    private final double idleTimeout;
    private final LeastLoadedRouter placement;
    private final Long2ObjectOpenHashMap<Binding> sessions = new Long2ObjectOpenHashMap<>();
    private int sweepAt = FIRST_SWEEP;

    SessionAffinityRouter(SimClock clock, int replicas, double idleTimeout) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.placement = new LeastLoadedRouter(replicas, false, false);
    }

    @Override
    public int route(Request request, List<ReplicaView> replicas) {
        double now = clock.now();
        Binding binding = sessions.get(request.sessionId());
        if (binding == null || expired(binding, now)) {
            if (sessions.size() >= sweepAt) {
                sweep(now);
            }
            binding = new Binding(placement.route(request, replicas));
            sessions.put(request.sessionId(), binding);
        }
        binding.inFlight++;
        return binding.replica;
    }

    @Override
    public void onRequestDone(RequestRecord record) {
        Binding binding = sessions.get(record.request().sessionId());
        if (binding != null && binding.replica == record.replica() && binding.inFlight > 0) {
            binding.inFlight--;
            binding.lastDone = clock.now();
        }
    }

    /** Sessions currently bound to a replica (expired ones may linger until the next sweep). */
    int boundSessions() {
        return sessions.size();
    }

    private boolean expired(Binding binding, double now) {
        return binding.inFlight == 0 && now - binding.lastDone > idleTimeout;
    }

    private void sweep(double now) {
        sessions.values().removeIf(binding -> expired(binding, now));
        sweepAt = Math.max(FIRST_SWEEP, sessions.size() * 2);
    }

    private static final class Binding {
        final int replica;
        int inFlight;
        double lastDone = Double.NEGATIVE_INFINITY;

        Binding(int replica) {
            this.replica = replica;
        }
    }
}
