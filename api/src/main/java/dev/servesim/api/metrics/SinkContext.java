package dev.servesim.api.metrics;

import dev.servesim.api.sim.SimClock;
import java.nio.file.Path;

/**
 * What a sink knows of its run. The runner implements it; so may a test harness.
 *
 * <p>Every method is a default, as Trino's {@code ConnectorContext}: a harness implements what the sink under test
 * uses, and a service added in a later API version is one more default method, so it breaks neither sinks built
 * against an earlier version nor harnesses. A service the implementation does not offer throws
 * {@link UnsupportedOperationException} naming it.
 */
public interface SinkContext {

    /** Name of the run (from the configuration). */
    default String runName() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer SinkContext.runName()");
    }

    /** Folder where the run's output files go; exists when the sink is created. */
    default Path outputDirectory() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer SinkContext.outputDirectory()");
    }

    /** Simulated clock. */
    default SimClock clock() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer SinkContext.clock()");
    }

    /** The run's resolved configuration (every default filled in) as YAML, for sinks that record it. */
    default String configurationYaml() {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not offer SinkContext.configurationYaml()");
    }

    /** Events the simulation kernel has run so far; read on the simulation thread. 0 where nobody counts them. */
    default long eventsProcessed() {
        return 0;
    }
}
