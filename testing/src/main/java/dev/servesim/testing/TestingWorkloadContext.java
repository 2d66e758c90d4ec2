package dev.servesim.testing;

import dev.servesim.api.request.Request;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/** A workload context on a real {@link Simulation} that records submitted requests and checks their times. */
public final class TestingWorkloadContext implements WorkloadContext {

    private final Simulation simulation = new Simulation();
    private final RandomStreams random;
    private final List<Request> submitted = new ArrayList<>();
    private final int maxModelLen;

    public TestingWorkloadContext(long seed) {
        this(seed, Integer.MAX_VALUE);
    }

    public TestingWorkloadContext(long seed, int maxModelLen) {
        random = new SeededRandomStreams(seed).child("workload");
        this.maxModelLen = maxModelLen;
    }

    @Override
    public int maxModelLen() {
        return maxModelLen;
    }

    public Simulation simulation() {
        return simulation;
    }

    /** Requests submitted so far, in order. */
    public List<Request> submitted() {
        return List.copyOf(submitted);
    }

    @Override
    public EventScheduler scheduler() {
        return simulation;
    }

    @Override
    public RandomStreams random() {
        return random;
    }

    @Override
    public void submit(Request request) {
        if (request.arrivalTime() != simulation.now()) {
            throw new IllegalStateException("request " + request.id() + " submitted at " + simulation.now()
                    + " s but arrives at " + request.arrivalTime() + " s");
        }
        submitted.add(request);
    }
}
