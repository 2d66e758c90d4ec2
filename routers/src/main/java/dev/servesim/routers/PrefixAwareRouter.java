package dev.servesim.routers;

import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.util.List;

/**
 * Scores replicas as {@code cacheWeight * cachedFraction - loadWeight * load} and picks the best, as KV-cache-aware
 * routers do (llm-d's inference scheduler sums weighted prefix-cache and load scorers): {@code cachedFraction} is the
 * share of the request's full prompt blocks that the replica published as cached (leading blocks, from its cache
 * events), {@code load} its outstanding requests as last reported divided by one plus the cluster's mean (0 when
 * idle, about 1 at the mean; relative to the mean rather than to the busiest replica, so a replica piling up work
 * keeps losing score even while another is busier). Ties go to the fewest outstanding requests, then round-robin.
 */
final class PrefixAwareRouter implements Router {

    private final double cacheWeight;
    private final double loadWeight;
    private final double[] cost;
    private final double[] outstanding;
    private final Rotation rotation = new Rotation();

    PrefixAwareRouter(int replicas, double cacheWeight, double loadWeight) {
        this.cacheWeight = cacheWeight;
        this.loadWeight = loadWeight;
        this.cost = new double[replicas];
        this.outstanding = new double[replicas];
    }

    @Override
    public int route(Request request, List<ReplicaView> replicas) {
        int count = replicas.size();
        double total = 0;
        for (int i = 0; i < count; i++) {
            outstanding[i] = replicas.get(i).outstanding();
            total += outstanding[i];
        }
        double scale = total / count + 1; // one plus the mean
        int promptBlocks = count == 0 ? 0 : replicas.get(0).promptBlocks(request);
        for (int i = 0; i < count; i++) {
            ReplicaView replica = replicas.get(i);
            double cachedFraction = promptBlocks == 0 || cacheWeight == 0 ? 0
                    : (double) replica.cachedPrefixBlocks(request) / promptBlocks;
            double load = outstanding[i] / scale;
            cost[i] = -(cacheWeight * cachedFraction - loadWeight * load);
        }
        return rotation.pickLowest(cost, outstanding, count);
    }
}
