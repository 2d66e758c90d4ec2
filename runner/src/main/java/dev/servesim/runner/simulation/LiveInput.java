package dev.servesim.runner.simulation;

import dev.servesim.runner.LiveListener;
import dev.servesim.runner.LiveRequest;

/** What a run needs of {@link dev.servesim.runner.LiveArrivals}: the runner's side of the door. */
public interface LiveInput {

    /** Something handed in from another thread, at the wall-clock instant {@code receivedNanos} (nanoTime). */
    sealed interface Item permits Arrival, Task {
        long receivedNanos();
    }

    /** A request handed in, with its id. */
    record Arrival(long id, LiveRequest request, LiveListener listener, long receivedNanos) implements Item {}

    /** An action to run on the simulation thread at the simulated time of its hand-over. */
    record Task(Runnable action, long receivedNanos) implements Item {}

    /** Simulated seconds per wall-clock second. */
    double timeScale();

    /** Whether requests are still taken. */
    boolean isOpen();

    /** Wall seconds to let the run finish what it has once closed. */
    double drainSeconds();

    /** Whether the run ends by itself once nothing is left to do (no event, nothing in flight or outstanding). */
    boolean endsWhenIdle();

    /** Work outside the run that will still hand something in (e.g. requests in flight at a remote server). */
    int outstanding();

    /** The next item handed in within {@code nanos} (0: only if one is waiting), or null. */
    Item poll(long nanos) throws InterruptedException;

    /** A live request ended. */
    void ended();
}
