package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.runner.simulation.LiveInput.Arrival;
import dev.servesim.runner.simulation.LiveInput.Item;
import dev.servesim.runner.simulation.LiveInput.Task;
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
 * alongside. A request goes to the replica the cluster's router chooses, or, pinned ({@link LiveRequest#replica()}),
 * straight to its replica.
 */
public final class LiveArrivals {

    /** The first live request's id. */
    public static final long FIRST_ID = 1L << 40;

    private static final Item WAKE_UP = new Task(() -> { }, 0);

    private final double timeScale;
    private final BlockingQueue<Item> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final boolean endsWhenIdle;
    private long nextId = FIRST_ID;
    private boolean open = true;
    private volatile double drainSeconds;

    /**
     * A door that keeps the run going until it is closed ({@code servesim serve}).
     *
     * @param timeScale simulated seconds per wall-clock second (1: real time)
     */
    public LiveArrivals(double timeScale) {
        this(timeScale, false);
    }

    private LiveArrivals(double timeScale, boolean endsWhenIdle) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be positive and finite, got " + timeScale);
        }
        this.timeScale = timeScale;
        this.endsWhenIdle = endsWhenIdle;
    }

    /**
     * A door for a run that ends by itself, as a run does, once no event is left and nothing is in flight or
     * {@linkplain #hold() outstanding} ({@code servesim loadgen}: a workload drives a remote server, whose answers
     * come back through {@link #post}).
     */
    public static LiveArrivals endingWhenIdle(double timeScale) {
        return new LiveArrivals(timeScale, true);
    }

    /**
     * Hands a request in; it arrives at the simulated time the clock shows when the run admits it (within a
     * millisecond of wall time).
     *
     * @return the request's id, unique in the run
     * @throws IllegalStateException ("shutting down") once {@link #close} was called
     */
    public long submit(LiveRequest request, LiveListener listener) {
        return submit(request, listener, System.nanoTime());
    }

    /**
     * Hands in a request that reached the caller at {@code receivedNanos} ({@link System#nanoTime}, e.g. when its
     * first bytes came in): it arrives at the simulated time of that instant, or of the run's last event if that is
     * later (the run cannot go back).
     *
     * @return the request's id, unique in the run
     * @throws IllegalStateException ("shutting down") once {@link #close} was called
     */
    public long submit(LiveRequest request, LiveListener listener, long receivedNanos) {
        requireNonNull(request, "request is null");
        requireNonNull(listener, "listener is null");
        long received = Math.min(receivedNanos, System.nanoTime());
        synchronized (this) {
            if (!open) {
                throw new IllegalStateException("shutting down");
            }
            long id = nextId++;
            inFlight.incrementAndGet();
            inbox.add(new Arrival(id, request, listener, received));
            return id;
        }
    }

    /**
     * Takes no more requests. The run ends once nothing is left to do (requests in flight, events of a workload
     * running alongside, work {@linkplain #hold() held} outside), or after {@code drainSeconds} of wall time, when
     * what is still in flight ends unfinished.
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
        inbox.add(WAKE_UP);
    }

    /**
     * Runs {@code action} on the run's thread at the simulated time of this call (within a millisecond of wall time);
     * from any thread, for components whose news comes from outside the run (e.g. a remote server's answer). Actions
     * run in the order they were posted.
     */
    public void post(Runnable action) {
        inbox.add(new Task(requireNonNull(action, "action is null"), System.nanoTime()));
    }

    /** Something outside the run will still {@link #post}: the run does not end while it holds. */
    public void hold() {
        outstanding.incrementAndGet();
    }

    /** Ends a {@link #hold()}. */
    public void release() {
        if (outstanding.decrementAndGet() < 0) {
            outstanding.incrementAndGet();
            throw new IllegalStateException("released more than held");
        }
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

    /** The next item handed in within {@code nanos}, or null; the wake-up of {@link #close} reads as null. */
    Item poll(long nanos) throws InterruptedException {
        Item item = nanos <= 0 ? inbox.poll() : inbox.poll(nanos, TimeUnit.NANOSECONDS);
        return item == WAKE_UP ? null : item;
    }

    boolean endsWhenIdle() {
        return endsWhenIdle;
    }

    int outstanding() {
        return outstanding.get();
    }

    void ended() {
        inFlight.decrementAndGet();
    }
}
