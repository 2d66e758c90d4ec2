package dev.servesim.runner;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

/**
 * The {@code cluster} section without its {@code router}: how many engine replicas share the simulated clock, and how
 * often they report their load to the router.
 *
 * @param replicas identical engine replicas, each with its own KV cache (default 1)
 * @param reportInterval seconds of simulated time between load reports to the router (default 1); the router sees
 *     load figures up to this old
 */
public record ClusterSettings(Integer replicas, Double reportInterval) {

    /** One replica, reports every second. */
    public static final ClusterSettings SINGLE = new ClusterSettings(null, null);

    public ClusterSettings {
        replicas = positive("replicas", orDefault(replicas, 1));
        if (replicas > 100_000) {
            throw dev.servesim.api.ServesimException.config("replicas", "must be at most 100000, got " + replicas);
        }
        reportInterval = positive("report_interval", orDefault(reportInterval, 1.0));
    }
}
