package dev.servesim.api.workload;

import dev.servesim.api.request.Request;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;

/**
 * The workload source's only door into the simulator. The runner implements it; so may a test harness.
 *
 * <p>Every method is a default, as Trino's {@code ConnectorContext}: a harness implements what the source under test
 * uses, and a service added in a later API version is one more default method, so it breaks neither sources built
 * against an earlier version nor harnesses. A service the implementation does not offer throws
 * {@link UnsupportedOperationException} naming it.
 */
public interface WorkloadContext {

    /** Clock and future-event queue. */
    default EventScheduler scheduler() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer WorkloadContext.scheduler()");
    }

    /** Random streams under {@code workload/<name>}. */
    default RandomStreams random() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer WorkloadContext.random()");
    }

    /**
     * Most tokens (prompt plus output) one request may have on the serving engines of this run (the smallest
     * {@code max_model_len} of the replicas), or {@link Integer#MAX_VALUE} if they have no limit. Sources use it to
     * keep sessions within the context and to reject absurd configurations. The default is {@link Integer#MAX_VALUE}.
     */
    default int maxModelLen() {
        return Integer.MAX_VALUE;
    }

    /**
     * Sends a request into the serving system. Must be called at the request's arrival time
     * ({@code request.arrivalTime() == scheduler().now()}); request ids must be unique within the run.
     */
    default void submit(Request request) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not offer WorkloadContext.submit(request)");
    }
}
