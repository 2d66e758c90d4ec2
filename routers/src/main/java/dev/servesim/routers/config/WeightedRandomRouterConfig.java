package dev.servesim.routers.config;

import static dev.servesim.api.ConfigValues.required;

import dev.servesim.api.ServesimException;
import java.util.List;

/**
 * The {@code weighted-random} router: replica {@code i} with probability {@code weights[i] / sum(weights)}.
 *
 * @param weights one non-negative weight per replica, at least one positive (required; the count is checked against
 *     {@code cluster.replicas} when the router is created)
 */
public record WeightedRandomRouterConfig(List<Double> weights) {

    public WeightedRandomRouterConfig {
        required("weights", weights);
        double sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            Double weight = weights.get(i);
            if (weight == null || !(weight >= 0) || Double.isInfinite(weight)) {
                throw ServesimException.config("weights[" + i + "]", "must be zero or a positive number, got " + weight);
            }
            sum += weight;
        }
        if (!(sum > 0)) {
            throw ServesimException.config("weights", "needs at least one positive weight");
        }
        weights = List.copyOf(weights);
    }
}
