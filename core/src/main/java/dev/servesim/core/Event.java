package dev.servesim.core;

import dev.servesim.api.sim.ScheduledEvent;

/** A scheduled action with its position in the queue's heap (-1 when not queued). */
final class Event implements ScheduledEvent {

    private final double time;
    private final long sequence;
    private final EventQueue queue;
    private final boolean daemon;
    private Runnable action;
    int heapIndex = -1;

    Event(double time, long sequence, Runnable action, EventQueue queue, boolean daemon) {
        this.time = time;
        this.sequence = sequence;
        this.action = action;
        this.queue = queue;
        this.daemon = daemon;
    }

    boolean daemon() {
        return daemon;
    }

    @Override
    public double time() {
        return time;
    }

    long sequence() {
        return sequence;
    }

    @Override
    public void cancel() {
        if (action != null) {
            action = null;
            if (heapIndex >= 0) {
                queue.remove(this);
            }
        }
    }

    @Override
    public boolean isPending() {
        return action != null;
    }

    void fire() {
        Runnable toRun = action;
        action = null;
        toRun.run();
    }

    boolean before(Event other) {
        return time < other.time || (time == other.time && sequence < other.sequence);
    }
}
