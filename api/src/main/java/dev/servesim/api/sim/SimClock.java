package dev.servesim.api.sim;

/** The simulated clock of one run. */
@FunctionalInterface
public interface SimClock {

    /** Current simulated time in seconds since the start of the run; never decreases. */
    double now();
}
