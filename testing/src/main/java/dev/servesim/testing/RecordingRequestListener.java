package dev.servesim.testing;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import java.util.ArrayList;
import java.util.List;

/** Records every lifecycle event in order, for assertions. */
public final class RecordingRequestListener implements RequestListener {

    /** A listener that has recorded nothing yet. */
    public RecordingRequestListener() {}

    /** One recorded event. {@code value} is cached tokens, chunk tokens or output tokens, depending on the type. */
    public record Event(Type type, long requestId, double time, int value, String detail) {}

    /** Event types. */
    public enum Type { QUEUED, SCHEDULED, PREFILL_CHUNK, TOKENS, PREEMPTED, FINISHED, REJECTED }

    private final List<Event> events = new ArrayList<>();

    @Override
    public void onQueued(Request request, double time) {
        events.add(new Event(Type.QUEUED, request.id(), time, 0, ""));
    }

    @Override
    public void onScheduled(Request request, double time, int cachedTokens, String cacheEvent) {
        events.add(new Event(Type.SCHEDULED, request.id(), time, cachedTokens, cacheEvent));
    }

    @Override
    public void onPrefillChunk(Request request, double time, int tokens) {
        events.add(new Event(Type.PREFILL_CHUNK, request.id(), time, tokens, ""));
    }

    @Override
    public void onTokens(Request request, double time, int count) {
        events.add(new Event(Type.TOKENS, request.id(), time, count, ""));
    }

    @Override
    public void onPreempted(Request request, double time) {
        events.add(new Event(Type.PREEMPTED, request.id(), time, 0, ""));
    }

    @Override
    public void onFinished(Request request, double time) {
        events.add(new Event(Type.FINISHED, request.id(), time, 0, ""));
    }

    @Override
    public void onRejected(Request request, double time, String reason) {
        events.add(new Event(Type.REJECTED, request.id(), time, 0, reason));
    }

    /** All events in the order they were reported. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Events of one request, in order. */
    public List<Event> events(long requestId) {
        return events.stream().filter(event -> event.requestId() == requestId).toList();
    }

    /** Events of one type, in order. */
    public List<Event> events(Type type) {
        return events.stream().filter(event -> event.type() == type).toList();
    }

    /** Total output tokens reported for a request. */
    public int outputTokens(long requestId) {
        return events(requestId).stream().filter(e -> e.type() == Type.TOKENS).mapToInt(Event::value).sum();
    }
}
