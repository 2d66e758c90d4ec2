package dev.servesim.api.request;

import static java.util.Objects.requireNonNull;

/**
 * What happened to one request, built by the runner from the engine's lifecycle events. Times are absolute simulated
 * seconds; a time that never happened (no first token for a rejected request) is {@code NaN}, and durations derived
 * from it are {@code NaN} too.
 *
 * @param request the request as sent
 * @param replica index of the engine replica that served it
 * @param status how it ended
 * @param reason rejection reason, or empty
 * @param queuedTime entered the waiting queue
 * @param scheduledTime first admitted to the running batch
 * @param firstTokenTime first output token
 * @param finishTime last output token, rejection, or the end of the run for unfinished requests
 * @param outputTokens output tokens generated
 * @param cachedTokens prompt tokens served from cache at first admission
 * @param cacheEvent the cache strategy's classification at first admission, or empty
 * @param preemptions times the request was preempted
 * @param meanItl mean gap between consecutive output batches (TPOT), seconds
 * @param maxItl largest gap between consecutive output batches, seconds
 */
public record RequestRecord(
        Request request,
        int replica,
        RequestStatus status,
        String reason,
        double queuedTime,
        double scheduledTime,
        double firstTokenTime,
        double finishTime,
        int outputTokens,
        int cachedTokens,
        String cacheEvent,
        int preemptions,
        double meanItl,
        double maxItl) {

    /** {@link #finishReason()} of a request that emitted EOS before the client's limit (since API 0.5). */
    public static final String STOP = "stop";
    /** {@link #finishReason()} of a request that reached its limit or the context limit (since API 0.5). */
    public static final String LENGTH = "length";

    public RequestRecord {
        requireNonNull(request, "request is null");
        requireNonNull(status, "status is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(cacheEvent, "cacheEvent is null");
    }

    /** Time to first token: first token minus arrival, seconds. */
    public double ttft() {
        return firstTokenTime - request.arrivalTime();
    }

    /** End-to-end latency: last token minus arrival, seconds ({@code NaN} unless completed). */
    public double e2e() {
        return status == RequestStatus.COMPLETED ? finishTime - request.arrivalTime() : Double.NaN;
    }

    /**
     * Why a completed request finished, as vLLM names it (since API 0.5): {@code stop} if the model emitted EOS
     * before the client's limit (it generated all of {@link Request#maxOutputTokens()}, fewer than
     * {@link Request#maxTokens()}), {@code length} if it reached the limit or was cut by the context limit
     * ({@code max_model_len}); empty for a request that did not complete (rejected or unfinished).
     */
    public String finishReason() {
        if (status != RequestStatus.COMPLETED) {
            return "";
        }
        return request.stopsBeforeLimit() && outputTokens >= request.maxOutputTokens() ? STOP : LENGTH;
    }

    /** Queue time: first admission minus entering the waiting queue, seconds (vLLM's definition). */
    public double queueTime() {
        return scheduledTime - queuedTime;
    }
}
