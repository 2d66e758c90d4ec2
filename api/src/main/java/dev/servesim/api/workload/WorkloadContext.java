package dev.servesim.api.workload;

import dev.servesim.api.request.Request;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;

/** The workload source's only door into the simulator. */
public interface WorkloadContext {

    /** Clock and future-event queue. */
    EventScheduler scheduler();

    /** Random streams under {@code workload/<name>}. */
    RandomStreams random();

    /**
     * Most tokens (prompt plus output) one request may have on the serving engines of this run (the smallest
     * {@code max_model_len} of the replicas), or {@link Integer#MAX_VALUE} if they have no limit. Sources use it to
     * keep sessions within the context and to reject absurd configurations.
     */
    int maxModelLen();

    /**
     * Sends a request into the serving system. Must be called at the request's arrival time
     * ({@code request.arrivalTime() == scheduler().now()}); request ids must be unique within the run.
     */
    void submit(Request request);
}
