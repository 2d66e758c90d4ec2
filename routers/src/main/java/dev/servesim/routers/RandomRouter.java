package dev.servesim.routers;

import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.util.List;
import java.util.random.RandomGenerator;

/** Uniformly random replica, or by weight when weights are given. */
final class RandomRouter implements Router {

    private final RandomGenerator random;
    private final double[] cumulative;

    /** {@code weights} null: uniform. */
    RandomRouter(RandomGenerator random, List<Double> weights) {
        this.random = random;
        if (weights == null) {
            cumulative = null;
        } else {
            cumulative = new double[weights.size()];
            double sum = 0;
            for (int i = 0; i < cumulative.length; i++) {
                sum += weights.get(i);
                cumulative[i] = sum;
            }
        }
    }

    @Override
    public int route(Request request, List<ReplicaView> replicas) {
        if (cumulative == null) {
            return random.nextInt(replicas.size());
        }
        double draw = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            // a replica of weight 0 adds no width to the cumulative sum, so no draw lands on it
            if (draw < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }
}
