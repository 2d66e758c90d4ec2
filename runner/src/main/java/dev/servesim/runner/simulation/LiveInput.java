package dev.servesim.runner.simulation;

import dev.servesim.runner.LiveListener;
import dev.servesim.runner.LiveRequest;

/** What a run needs of {@link dev.servesim.runner.LiveArrivals}: the runner's side of the door. */
public interface LiveInput {

    /** A request handed in, with its id and the wall-clock instant ({@link System#nanoTime}) of the hand-over. */
    record Arrival(long id, LiveRequest request, LiveListener listener, long receivedNanos) {}

    /** Simulated seconds per wall-clock second. */
    double timeScale();

    /** Whether requests are still taken. */
    boolean isOpen();

    /** Wall seconds to let requests in flight finish once closed. */
    double drainSeconds();

    /** The next request handed in within {@code nanos} (0: only if one is waiting), or null. */
    Arrival poll(long nanos) throws InterruptedException;

    /** A live request ended. */
    void ended();
}
