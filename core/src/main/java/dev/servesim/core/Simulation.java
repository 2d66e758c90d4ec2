package dev.servesim.core;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.ScheduledEvent;

/**
 * One simulation: a clock and a future-event queue ordered by (time, sequence number), so events at the same time run
 * first in, first out. Time is a {@code double} in seconds; nothing is quantized or dropped. Single-threaded, except
 * {@link #requestStop()}, which any thread may call.
 */
public final class Simulation implements EventScheduler {

    private final EventQueue queue = new EventQueue();
    private double now;
    private long nextSequence;
    private long eventsProcessed;
    private volatile boolean stopRequested;

    /** A simulation at time 0 with no event. */
    public Simulation() {}

    @Override
    public double now() {
        return now;
    }

    @Override
    public ScheduledEvent schedule(double delaySeconds, Runnable action) {
        if (!(delaySeconds >= 0)) {
            throw new IllegalArgumentException("delay must be >= 0 seconds, got " + delaySeconds);
        }
        return enqueue(now + delaySeconds, action);
    }

    @Override
    public ScheduledEvent scheduleAt(double timeSeconds, Runnable action) {
        if (!(timeSeconds >= now)) {
            throw new IllegalArgumentException("cannot schedule at " + timeSeconds + " s, the clock is at " + now + " s");
        }
        return enqueue(timeSeconds, action);
    }

    /**
     * Schedules a daemon action: it runs like any other, but pending daemon events alone do not keep the run going
     * (periodic sampling must not extend a run past its last real event).
     */
    public ScheduledEvent scheduleDaemon(double delaySeconds, Runnable action) {
        if (!(delaySeconds >= 0)) {
            throw new IllegalArgumentException("delay must be >= 0 seconds, got " + delaySeconds);
        }
        return enqueue(now + delaySeconds, action, true);
    }

    /** Schedules a daemon action (see {@link #scheduleDaemon}) at an absolute time, not earlier than now. */
    public ScheduledEvent scheduleDaemonAt(double timeSeconds, Runnable action) {
        if (!(timeSeconds >= now)) {
            throw new IllegalArgumentException("cannot schedule at " + timeSeconds + " s, the clock is at " + now
                    + " s");
        }
        return enqueue(timeSeconds, action, true);
    }

    private ScheduledEvent enqueue(double time, Runnable action) {
        return enqueue(time, action, false);
    }

    private ScheduledEvent enqueue(double time, Runnable action, boolean daemon) {
        if (Double.isInfinite(time)) {
            throw new IllegalArgumentException("event time must be finite, got " + time);
        }
        Event event = new Event(time, nextSequence++, java.util.Objects.requireNonNull(action, "action is null"),
                queue, daemon);
        queue.add(event);
        return event;
    }

    /**
     * Runs events in order until none but daemon events is left, the next one is later than {@code horizonSeconds},
     * or a stop was requested. The clock ends at the last event's time, or at the horizon if events remain beyond it.
     *
     * @return how the run ended
     */
    public Outcome run(double horizonSeconds) {
        while (true) {
            if (stopRequested) {
                return Outcome.STOPPED;
            }
            Event next = queue.peek();
            if (next == null || queue.regularCount() == 0) {
                return Outcome.DRAINED;
            }
            if (next.time() > horizonSeconds) {
                now = Math.max(now, horizonSeconds);
                return Outcome.HORIZON;
            }
            queue.poll();
            if (next.time() < now) {
                throw new ServesimException(ErrorKind.INVARIANT,
                        "clock went back from " + now + " s to " + next.time() + " s");
            }
            now = next.time();
            eventsProcessed++;
            next.fire();
        }
    }

    /** Asks the run loop to stop before the next event; safe to call from any thread (e.g. a signal handler). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Time of the next event in the queue (daemon events included), or positive infinity if there is none. */
    public double nextEventTime() {
        Event next = queue.peek();
        return next == null ? Double.POSITIVE_INFINITY : next.time();
    }

    /** Events run so far. */
    public long eventsProcessed() {
        return eventsProcessed;
    }

    /** Events waiting in the queue, daemon events included. */
    public int pendingEvents() {
        return queue.size();
    }

    /** Non-daemon events waiting in the queue: the run goes on while there are any. */
    public int pendingRegularEvents() {
        return queue.regularCount();
    }

    /** How {@link #run} ended. */
    public enum Outcome {
        /** No event left but daemon events. */
        DRAINED,
        /** The next event is beyond the horizon. */
        HORIZON,
        /** {@link #requestStop()} was called. */
        STOPPED
    }
}
