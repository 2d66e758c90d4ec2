package dev.servesim.routers;

import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.util.List;

/**
 * The replica with the fewest outstanding requests (running plus waiting as last reported, or the router's own
 * in-flight count), or - for
 * {@code least-kv} - the lowest reported KV usage, then the fewest outstanding requests. Ties go round-robin among
 * the tied replicas, so equal (or equally stale) reports spread requests evenly.
 */
final class LeastLoadedRouter implements Router {

    private final boolean byKvUsage;
    private final boolean inFlight;
    private final double[] primary;
    private final double[] secondary;
    private final Rotation rotation = new Rotation();

    /** {@code inFlight}: count the router's own in-flight requests instead of the reported outstanding ones. */
    LeastLoadedRouter(int replicas, boolean byKvUsage, boolean inFlight) {
        this.byKvUsage = byKvUsage;
        this.inFlight = inFlight;
        this.primary = new double[replicas];
        this.secondary = byKvUsage ? new double[replicas] : null;
    }

    @Override
    public int route(Request request, List<ReplicaView> replicas) {
        int count = replicas.size();
        for (int i = 0; i < count; i++) {
            ReplicaView replica = replicas.get(i);
            if (byKvUsage) {
                primary[i] = replica.kvUsage();
                secondary[i] = replica.outstanding();
            } else {
                primary[i] = inFlight ? replica.inFlight() : replica.outstanding();
            }
        }
        return rotation.pickLowest(primary, secondary, count);
    }
}
