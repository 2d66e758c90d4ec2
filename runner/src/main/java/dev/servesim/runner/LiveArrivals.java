package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.runner.simulation.LiveInput.Arrival;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The door of a run for requests from outside ({@code servesim serve}'s clients), admitted in real time: simulated
 * time follows the wall clock, {@code timeScale} simulated seconds per wall second, and a request handed in arrives
 * at the simulated time of the hand-over. Any thread may submit; the run's thread admits (see
 * {@link SimulationRunner#serve}).
 *
 * <p>Live request ids count from {@value #FIRST_ID} (2^40), so they never meet the ids of a workload source running
 * alongside.
 */
public final class LiveArrivals {

    /** The first live request's id. */
    public static final long FIRST_ID = 1L << 40;

    private final double timeScale;
    private final BlockingQueue<Arrival> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private long nextId = FIRST_ID;
    private boolean open = true;
    private volatile double drainSeconds;

    /** @param timeScale simulated seconds per wall-clock second (1: real time) */
    public LiveArrivals(double timeScale) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be positive and finite, got " + timeScale);
        }
        this.timeScale = timeScale;
    }

    /**
     * Hands a request in; it arrives at the simulated time the clock shows when the run admits it (within a
     * millisecond of wall time).
     *
     * @return the request's id, unique in the run
     * @throws IllegalStateException ("shutting down") once {@link #close} was called
     */
    public long submit(LiveRequest request, LiveListener listener) {
        requireNonNull(request, "request is null");
        requireNonNull(listener, "listener is null");
        synchronized (this) {
            if (!open) {
                throw new IllegalStateException("shutting down");
            }
            long id = nextId++;
            inFlight.incrementAndGet();
            inbox.add(new Arrival(id, request, listener, System.nanoTime()));
            return id;
        }
    }

    /**
     * Takes no more requests. The run ends once the requests in flight have ended, or after {@code drainSeconds} of
     * wall time, when those still in flight end unfinished.
     */
    public void close(double drainSeconds) {
        if (!(drainSeconds >= 0)) {
            throw new IllegalArgumentException("drain time must be >= 0, got " + drainSeconds);
        }
        synchronized (this) {
            this.drainSeconds = drainSeconds;
            open = false;
        }
        // wakes the run's thread if it waits for requests
        inbox.add(new Arrival(-1, null, null, System.nanoTime()));
    }

    /** Whether requests are still taken. */
    public synchronized boolean isOpen() {
        return open;
    }

    /** Requests handed in that have not ended yet. */
    public int inFlight() {
        return inFlight.get();
    }

    double timeScale() {
        return timeScale;
    }

    double drainSeconds() {
        return drainSeconds;
    }

    /** The next request handed in within {@code nanos}, or null; a wake-up after {@link #close} reads as null. */
    Arrival poll(long nanos) throws InterruptedException {
        Arrival arrival = nanos <= 0 ? inbox.poll() : inbox.poll(nanos, TimeUnit.NANOSECONDS);
        return arrival == null || arrival.request() == null ? null : arrival;
    }

    void ended() {
        inFlight.decrementAndGet();
    }
}
