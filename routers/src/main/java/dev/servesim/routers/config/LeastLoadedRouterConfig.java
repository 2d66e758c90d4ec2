package dev.servesim.routers.config;

import static dev.servesim.api.ConfigValues.orDefault;

import dev.servesim.api.ServesimException;
import java.util.List;

/**
 * The {@code least-loaded} router: the replica with the fewest outstanding requests; ties go round-robin among the
 * tied replicas.
 *
 * @param load what counts as outstanding: {@code reported} (default; running plus waiting as the replica last
 *     reported, up to {@code cluster.report_interval} old) or {@code in_flight} (the router's own exact count of
 *     requests it sent that have not ended)
 */
public record LeastLoadedRouterConfig(String load) {

    /** Values of {@code load}. */
    public static final List<String> LOADS = List.of("reported", "in_flight");

    public LeastLoadedRouterConfig {
        load = orDefault(load, "reported");
        if (!LOADS.contains(load)) {
            throw ServesimException.config("load", "unknown '" + load + "'; one of " + String.join(", ", LOADS));
        }
    }

    /** True for {@code in_flight}. */
    public boolean inFlight() {
        return load.equals("in_flight");
    }
}
