package dev.servesim.engine.common.output;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.sim.EventScheduler;
import java.util.Arrays;

/**
 * Reports output tokens and finishes a fixed delay after the step that produced them (the step model's output
 * overhead: detokenization and streaming to the client); every other event passes straight through. The events of
 * one step are buffered and replayed together by one scheduled event, in their order; steps replay in step order
 * since the delay is the same for all. Engines call {@link #flush} at the end of each step. The buffer is a ring that grows to the events in flight and is then reused;
 * its capacity stays a power of two, so positions wrap with a mask rather than a division (one per token).
 */
public final class DelayedOutputListener implements RequestListener {

    private static final byte TOKENS = 0;
    private static final byte FINISHED = 1;

    private final RequestListener delegate;
    private final EventScheduler events;
    private final double delaySeconds;
    private final Runnable replay = this::replay;

    // ring of buffered events: kind, request, token count
    private byte[] kinds = new byte[256];
    private Request[] requests = new Request[256];
    private int[] counts = new int[256];
    private int head;
    private int size;
    // ring of batch sizes, one per scheduled replay, and the events buffered since the last flush
    private int[] batches = new int[16];
    private int batchHead;
    private int batchCount;
    private int unflushed;

    /**
     * @param delegate receives every event, the output events {@code delaySeconds} late
     * @param events the engine's event scheduler
     * @param delaySeconds the output overhead, positive
     */
    public DelayedOutputListener(RequestListener delegate, EventScheduler events, double delaySeconds) {
        this.delegate = delegate;
        this.events = events;
        this.delaySeconds = delaySeconds;
    }

    /** Schedules the replay of the events buffered since the last call; called when a step ends. */
    public void flush() {
        if (unflushed == 0) {
            return;
        }
        if (batchCount == batches.length) {
            batches = unroll(batches, batchHead, batchCount);
            batchHead = 0;
        }
        batches[(batchHead + batchCount) & (batches.length - 1)] = unflushed;
        batchCount++;
        unflushed = 0;
        events.schedule(delaySeconds, replay);
    }

    private void replay() {
        double now = events.now();
        int count = batches[batchHead];
        batchHead = (batchHead + 1) & (batches.length - 1);
        batchCount--;
        for (int k = 0; k < count; k++) {
            Request request = requests[head];
            requests[head] = null;
            if (kinds[head] == TOKENS) {
                delegate.onTokens(request, now, counts[head]);
            } else {
                delegate.onFinished(request, now);
            }
            head = (head + 1) & (kinds.length - 1);
            size--;
        }
    }

    private void buffer(byte kind, Request request, int count) {
        if (size == kinds.length) {
            int capacity = kinds.length * 2;
            byte[] newKinds = new byte[capacity];
            Request[] newRequests = new Request[capacity];
            int[] newCounts = new int[capacity];
            for (int k = 0; k < size; k++) {
                int from = (head + k) & (kinds.length - 1);
                newKinds[k] = kinds[from];
                newRequests[k] = requests[from];
                newCounts[k] = counts[from];
            }
            kinds = newKinds;
            requests = newRequests;
            counts = newCounts;
            head = 0;
        }
        int tail = (head + size) & (kinds.length - 1);
        kinds[tail] = kind;
        requests[tail] = request;
        counts[tail] = count;
        size++;
        unflushed++;
    }

    private static int[] unroll(int[] ring, int head, int count) {
        int[] grown = Arrays.copyOf(ring, ring.length * 2);
        for (int k = 0; k < count; k++) {
            grown[k] = ring[(head + k) & (ring.length - 1)];
        }
        return grown;
    }

    @Override
    public void onTokens(Request request, double time, int count) {
        buffer(TOKENS, request, count);
    }

    @Override
    public void onFinished(Request request, double time) {
        buffer(FINISHED, request, 0);
    }

    @Override
    public void onQueued(Request request, double time) {
        delegate.onQueued(request, time);
    }

    @Override
    public void onScheduled(Request request, double time, int cachedTokens, String cacheEvent) {
        delegate.onScheduled(request, time, cachedTokens, cacheEvent);
    }

    @Override
    public void onPrefillChunk(Request request, double time, int tokens) {
        delegate.onPrefillChunk(request, time, tokens);
    }

    @Override
    public void onPreempted(Request request, double time) {
        delegate.onPreempted(request, time);
    }

    @Override
    public void onRejected(Request request, double time, String reason) {
        delegate.onRejected(request, time, reason);
    }
}
