package dev.servesim.runner.simulation;

import dev.servesim.api.ServesimException;
import dev.servesim.core.Simulation;
import dev.servesim.runner.RunSettings;
import jakarta.inject.Inject;
import java.util.Locale;

/**
 * Stops a run that has gone beyond what it can hold: more than {@code max_in_flight} requests in the system at once.
 * The offered load is then far beyond what the deployment serves, every waiting request holds memory, and the
 * figures would only measure an ever longer queue. The run stops before its next event and writes what it has,
 * marked partial; the command then fails with a configuration error naming the key.
 */
final class RunLimits {

    private final Simulation simulation;
    private final long maxInFlight;
    private ServesimException exceeded;

    @Inject
    RunLimits(Simulation simulation, RunSettings settings) {
        this.simulation = simulation;
        this.maxInFlight = settings.maxInFlight();
    }

    /** Called on each arrival with the requests now in flight. */
    void inFlight(int count) {
        if (count > maxInFlight && exceeded == null) {
            exceeded = ServesimException.config("max_in_flight", String.format(Locale.ROOT, "more than %,d requests "
                    + "in flight at %.3f simulated seconds: the offered load is far beyond what the deployment "
                    + "serves; lower the load, add replicas, set a horizon, or raise max_in_flight (each waiting "
                    + "request holds about a kilobyte of memory)", maxInFlight, simulation.now()));
            simulation.requestStop();
        }
    }

    /** The limit the run went beyond, or null. */
    ServesimException exceeded() {
        return exceeded;
    }
}
