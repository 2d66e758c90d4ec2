package org.example.compat;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Passes every lifecycle event on and counts it: a listener that implements each method, as API 0.3 requires. */
final class CountingListener implements RequestListener {

    private final RequestListener next;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    CountingListener(RequestListener next) {
        this.next = next;
    }

    Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    private void count(String event) {
        counts.merge(event, 1L, Long::sum);
    }

    @Override
    public void onQueued(Request request, double time) {
        count("compat_queued");
        next.onQueued(request, time);
    }

    @Override
    public void onScheduled(Request request, double time, int cachedTokens, String cacheEvent) {
        count("compat_scheduled");
        next.onScheduled(request, time, cachedTokens, cacheEvent);
    }

    @Override
    public void onPrefillChunk(Request request, double time, int tokens) {
        count("compat_prefill_chunks");
        next.onPrefillChunk(request, time, tokens);
    }

    @Override
    public void onTokens(Request request, double time, int count) {
        count("compat_token_events");
        next.onTokens(request, time, count);
    }

    @Override
    public void onPreempted(Request request, double time) {
        count("compat_preempted");
        next.onPreempted(request, time);
    }

    @Override
    public void onFinished(Request request, double time) {
        count("compat_finished");
        next.onFinished(request, time);
    }

    @Override
    public void onRejected(Request request, double time, String reason) {
        count("compat_rejected");
        next.onRejected(request, time, reason);
    }
}
