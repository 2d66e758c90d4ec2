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
     * Hands a request whose first {@code remoteTokens} prompt tokens already have their KV computed elsewhere - the
     * decode side of a disaggregated deployment, after the KV cache was transferred from a prefill replica (vLLM's
     * {@code do_remote_prefill}). The engine holds KV blocks for those tokens without computing them, so the
     * request's first step computes only the rest of the prompt (usually its last token) and samples the first output
     * token. Called at the request's arrival time at this replica (its {@code arrivalTime()} is the original arrival,
     * earlier than now). Reports as {@link #submit}. The default ignores the transferred KV and calls
     * {@link #submit}, so an engine that does not model it computes the whole prompt again.
     *
     * @param remoteTokens prompt tokens with KV already present, {@code 0 <= remoteTokens < promptTokens}
     * @since disaggregated clusters (API 0.2, additive)
     */
    default void submitWithRemoteKv(Request request, int remoteTokens) {
        submit(request);
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
