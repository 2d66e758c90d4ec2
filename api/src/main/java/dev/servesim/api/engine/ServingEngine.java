package dev.servesim.api.engine;

import dev.servesim.api.request.Request;
import java.util.Map;

/**
 * One serving-engine replica. It accepts requests at their arrival time, schedules its own steps on the simulation
 * clock through {@link EngineContext#scheduler()}, and reports every request's lifecycle to
 * {@link EngineContext#requests()} and every step to {@link EngineContext#steps()}.
 */
public interface ServingEngine {

    /**
     * Hands a request to the engine. Called at the request's arrival time ({@code request.arrivalTime() == now}).
     * The engine must eventually report exactly one of finished or rejected for it, unless the run stops first.
     */
    void submit(Request request);

    /**
     * Hands a request whose first {@code remoteTokens} prompt tokens already have their KV computed elsewhere.
     *
     * @deprecated since API 0.3 the runner uses the {@link KvTransferSupport} capability and no longer calls this;
     *     kept so that engines built against API 0.2 still load
     */
    @Deprecated
    default void submitWithRemoteKv(Request request, int remoteTokens) {
        submit(request);
    }

    /**
     * This engine as {@code capability}, if it offers it: an optional ability such as {@link KvTransferSupport}. The
     * default finds capabilities the engine implements; an engine may override it to hand out a helper object
     * (since API 0.3).
     */
    default <T> java.util.Optional<T> capability(Class<T> capability) {
        return capability.isInstance(this) ? java.util.Optional.of(capability.cast(this)) : java.util.Optional.empty();
    }

    /** Current load, for periodic snapshots, progress and (later) routers. Cheap; called often. */
    EngineLoad load();

    /** Static facts about this replica (KV capacity, model, hardware), for the summary and logs. */
    EngineInfo info();

    /**
     * Counters the engine wants in the run summary (under {@code engine}, summed over replicas), e.g.
     * {@code cpu_kv_loads}, with snake_case names; read once at the end of the run. Empty by default.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
