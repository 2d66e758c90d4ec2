package dev.servesim.api.engine;

import dev.servesim.api.request.Request;

/**
 * A capability of an engine: it can serve in a disaggregated (prefill/decode) deployment. A prefill replica's KV
 * cache leaves it ({@link #kvBytesPerToken()} bytes per prompt token cross the transfer link) and a decode replica
 * admits the request with that KV already present ({@link #submitWithRemoteKv}). An engine offers it by implementing
 * this interface; the runner finds it with {@link ServingEngine#capability} and refuses a disaggregated layout for an
 * engine without it (since API 0.3).
 */
public interface KvTransferSupport {

    /** Bytes of KV cache one token occupies on this replica, over all its GPUs: what a transfer moves per token. */
    long kvBytesPerToken();

    /**
     * Hands a request whose first {@code remoteTokens} prompt tokens already have their KV computed elsewhere - the
     * decode side of a disaggregated deployment, after the KV cache was transferred from a prefill replica (vLLM's
     * {@code do_remote_prefill}). The engine holds KV blocks for those tokens without computing them, so the
     * request's first step computes only the rest of the prompt (usually its last token) and samples the first output
     * token. Called at the request's arrival time at this replica (its {@code arrivalTime()} is the original arrival,
     * earlier than now). Reports as {@link ServingEngine#submit}.
     *
     * @param remoteTokens prompt tokens with KV already present, {@code 0 <= remoteTokens < promptTokens}
     */
    void submitWithRemoteKv(Request request, int remoteTokens);
}
