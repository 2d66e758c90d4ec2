package dev.servesim.runner.simulation;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.core.Simulation;
import dev.servesim.runner.LiveListener;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.lang.System.Logger.Level;
import java.util.OptionalInt;

/**
 * Admits live requests ({@code servesim serve}) and holds simulated time to the wall clock. A pump event always
 * stands before the next event in the queue: it admits what was handed in, then waits - on the door, so that a
 * request handed in meanwhile wakes it - until the wall clock reaches the next event's time, and schedules itself
 * there (or at the hand-over of a request or a posted action). So events run when the wall clock reaches them, and a
 * request arrives at the simulated time of its hand-over. While the door is open the pump keeps the run going (or,
 * for a door that ends when idle, until nothing is left to do); once it is closed, the run ends when nothing is left
 * to do or the drain time is up.
 */
final class LiveDriver implements RequestObserver {

    private static final System.Logger LOG = System.getLogger(LiveDriver.class.getName());
    /** Longest wait on the door without looking at the clock and the door's state, wall seconds. */
    private static final double MAX_WAIT_SECONDS = 0.05;

    private final LiveInput input;
    private final Simulation simulation;
    private final Deployment deployment;
    private final Long2ObjectOpenHashMap<LiveListener> listeners = new Long2ObjectOpenHashMap<>();
    private long wallStartNanos;
    private long drainDeadlineNanos;
    private boolean closing;

    LiveDriver(LiveInput input, Simulation simulation, Deployment deployment) {
        this.input = input;
        this.simulation = simulation;
        this.deployment = deployment;
    }

    void start(long wallStart) {
        this.wallStartNanos = wallStart;
        simulation.schedule(0, this::pump);
    }

    private void pump() {
        try {
            takeWaiting();
            if (finished()) {
                return;
            }
            double next = simulation.nextEventTime();
            long waitNanos = (long) Math.min((next / input.timeScale()) * 1e9 - (System.nanoTime() - wallStartNanos),
                    MAX_WAIT_SECONDS * 1e9);
            LiveInput.Item item = waitNanos > 0 ? input.poll(waitNanos) : null;
            if (item != null) {
                double at = Math.max(simulation.now(), simulatedTimeAt(item.receivedNanos()));
                simulation.scheduleAt(Math.min(at, next), () -> {
                    take(item);
                    pump();
                });
            } else {
                double wallTime = simulatedTimeAt(System.nanoTime());
                simulation.scheduleAt(Math.max(simulation.now(), Math.min(next, wallTime)), this::pump);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            simulation.requestStop();
        }
    }

    /**
     * Whether the run may end here. Open: only a door that ends when idle ends, once nothing is left to do. Closed:
     * once nothing is left to do, or the drain time is up (then what is left ends unfinished).
     */
    private boolean finished() {
        boolean idle = listeners.isEmpty() && input.outstanding() == 0 && simulation.pendingRegularEvents() == 0;
        if (input.isOpen()) {
            return input.endsWhenIdle() && idle;
        }
        if (!closing) {
            closing = true;
            drainDeadlineNanos = System.nanoTime() + (long) Math.min(input.drainSeconds() * 1e9, Long.MAX_VALUE / 2);
        }
        if (idle) {
            return true;
        }
        if (System.nanoTime() - drainDeadlineNanos >= 0) {
            simulation.requestStop();
            return true;
        }
        return false;
    }

    private void takeWaiting() throws InterruptedException {
        for (LiveInput.Item item = input.poll(0); item != null; item = input.poll(0)) {
            take(item);
        }
    }

    private void take(LiveInput.Item item) {
        if (item instanceof LiveInput.Arrival arrival) {
            admit(arrival);
        } else if (item instanceof LiveInput.Task task) {
            task.action().run();
        }
    }

    private void admit(LiveInput.Arrival arrival) {
        Request request = new Request(arrival.id(), arrival.id(), 1, simulation.now(), arrival.request().prompt(),
                arrival.request().maxOutputTokens(), 0, "live");
        OptionalInt pin = arrival.request().replica();
        if (pin.isPresent() && !deployment.pinnable(pin.getAsInt())) {
            refuse(request, arrival.listener(), "replica " + pin.getAsInt() + " does not take requests: requests "
                    + "may be pinned to replica " + deployment.pinnableRange());
            return;
        }
        listeners.put(arrival.id(), arrival.listener());
        if (pin.isPresent()) {
            deployment.submit(request, pin.getAsInt());
        } else {
            deployment.submit(request);
        }
    }

    /** Turns a request away at the door, as the API server refuses a bad request: the run never counts it. */
    private void refuse(Request request, LiveListener listener, String reason) {
        input.ended();
        double now = simulation.now();
        try {
            listener.onEnded(new RequestRecord(request, -1, RequestStatus.REJECTED, reason, Double.NaN, Double.NaN,
                    Double.NaN, now, 0, 0, "", 0, Double.NaN, Double.NaN));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "live request " + request.id() + ": its listener failed", e);
        }
    }

    @Override
    public void tokens(Request request, int replica, double time, int count, double gapSeconds) {
        LiveListener listener = listeners.get(request.id());
        if (listener != null) {
            try {
                listener.onTokens(count, time);
            } catch (RuntimeException e) {
                drop(request.id(), e);
            }
        }
    }

    @Override
    public void ended(RequestRecord record, int prefillReplica) {
        LiveListener listener = listeners.remove(record.request().id());
        if (listener != null) {
            input.ended();
            try {
                listener.onEnded(record);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "live request " + record.request().id() + ": its listener failed", e);
            }
        }
    }

    /** A client that cannot take news any more is not told of the rest; its request still runs to its end. */
    private void drop(long id, RuntimeException failure) {
        listeners.put(id, new LiveListener() {
            @Override
            public void onTokens(int count, double simulatedTime) {}

            @Override
            public void onEnded(RequestRecord record) {}
        });
        LOG.log(Level.DEBUG, () -> "live request " + id + ": its listener failed", failure);
    }

    private double simulatedTimeAt(long wallNanos) {
        return (wallNanos - wallStartNanos) / 1e9 * input.timeScale();
    }
}
