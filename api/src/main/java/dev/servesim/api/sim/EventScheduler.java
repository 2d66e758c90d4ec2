package dev.servesim.api.sim;

/**
 * Schedules typed actions on the simulation's future-event queue. Events run in order of time; events at the same
 * time run in the order they were scheduled (first in, first out).
 */
public interface EventScheduler extends SimClock {

    /**
     * Runs {@code action} after {@code delaySeconds} of simulated time.
     *
     * @throws IllegalArgumentException if the delay is negative or NaN
     */
    ScheduledEvent schedule(double delaySeconds, Runnable action);

    /**
     * Runs {@code action} at the absolute simulated time {@code timeSeconds}.
     *
     * @throws IllegalArgumentException if the time is before {@link #now()} or NaN
     */
    ScheduledEvent scheduleAt(double timeSeconds, Runnable action);
}
