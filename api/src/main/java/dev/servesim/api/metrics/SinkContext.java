package dev.servesim.api.metrics;

import dev.servesim.api.sim.SimClock;
import java.nio.file.Path;

/** What a sink knows of its run. */
public interface SinkContext {

    /** Name of the run (from the configuration). */
    String runName();

    /** Folder where the run's output files go; exists when the sink is created. */
    Path outputDirectory();

    /** Simulated clock. */
    SimClock clock();

    /** The run's resolved configuration (every default filled in) as YAML, for sinks that record it. */
    String configurationYaml();

    /** Events the simulation kernel has run so far; read on the simulation thread. 0 where nobody counts them. */
    default long eventsProcessed() {
        return 0;
    }
}
