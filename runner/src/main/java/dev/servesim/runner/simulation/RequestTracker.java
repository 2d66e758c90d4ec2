package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.core.Simulation;
import dev.servesim.runner.RunConfiguration;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Turns engine lifecycle events into per-request records, exactly as vLLM's metrics define them
 * (vllm/v1/metrics/stats.py): queue time = first SCHEDULED - QUEUED, TTFT = first token - arrival, inter-token
 * latency per output batch, E2E = last token - arrival. Holds only requests in flight, so memory does not grow with
 * the number of finished requests.
 *
 * <p>In a disaggregated cluster a request has one record over two replicas: its prefill copy's queue and admission
 * events (and preemptions) count, its one output token does not; the output tokens, TTFT included, come from the
 * decode replica, so TTFT covers the prefill, the KV transfer and the decode admission.
 *
 * <p>With a {@code cluster.network} latency the client sees every token, and the end, that much later than the
 * replica produced it: first token and finish times are shifted by it (TTFT and E2E are measured from the request's
 * arrival at the client, as vLLM's benchmark clients do), and a request ends - for the sinks, the summary, the router
 * and the workload - when its end reaches the client.
 */
final class RequestTracker {

    private final Long2ObjectOpenHashMap<InFlight> inFlight = new Long2ObjectOpenHashMap<>();
    // an array: the loop over it runs for every output token
    private RequestObserver[] observers = new RequestObserver[0];
    // told of every output token batch and admission; empty unless a sink or live clients want them
    private RequestObserver[] detailObservers = new RequestObserver[0];
    private final Simulation simulation;
    private final PeriodicTicks ticks;
    private final RunLimits limits;
    /** Seconds from a replica back to the client. */
    private final double outbound;

    @Inject
    RequestTracker(RunConfiguration configuration, Simulation simulation, PeriodicTicks ticks, RunLimits limits) {
        this.simulation = simulation;
        this.ticks = ticks;
        this.limits = limits;
        this.outbound = configuration.cluster().network().latency();
    }

    /** Adds an observer; observers are told of each request's end in the order they were added. */
    void observe(RequestObserver observer) {
        observers = Arrays.copyOf(observers, observers.length + 1);
        observers[observers.length - 1] = observer;
    }

    /**
     * Adds an observer that is also told of every output token batch and admission
     * ({@link RequestObserver#tokens}, {@link RequestObserver#admitted}).
     */
    void observeDetails(RequestObserver observer) {
        observe(observer);
        detailObservers = Arrays.copyOf(detailObservers, detailObservers.length + 1);
        detailObservers[detailObservers.length - 1] = observer;
    }

    void arrived(Request request, int replica) {
        if (inFlight.containsKey(request.id())) {
            throw new ServesimException(ErrorKind.INVARIANT, "request id " + request.id() + " was submitted twice");
        }
        inFlight.put(request.id(), new InFlight(request, replica));
        for (RequestObserver observer : observers) {
            observer.arrived(request);
        }
        ticks.arrived();
        limits.inFlight(inFlight.size());
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /** The listener engine replicas report to (requests know their replica from their arrival). */
    RequestListener listener() {
        return new ReplicaListener();
    }

    /**
     * The listener of prefill replicas, which compute the prompts of a disaggregated cluster.
     *
     * @param prefilled told when a prompt is computed, with the request and its replica
     */
    RequestListener prefillListener(BiConsumer<Request, Integer> prefilled) {
        return new PrefillListener(prefilled);
    }

    /** The KV cache of a prefilled request arrived at its decode {@code replica}. */
    void decoding(Request request, int replica) {
        get(request, "decoding").replica = replica;
    }

    /** Records every request still in flight as unfinished at {@code time}, in id order. */
    void closeUnfinished(double time) {
        long[] ids = inFlight.keySet().toLongArray();
        Arrays.sort(ids);
        for (long id : ids) {
            InFlight request = inFlight.remove(id);
            RequestRecord record = request.toRecord(RequestStatus.UNFINISHED, "", time, outbound);
            for (RequestObserver observer : observers) {
                observer.unfinished(record);
            }
        }
    }

    private InFlight get(Request request, String event) {
        InFlight state = inFlight.get(request.id());
        if (state == null) {
            throw new ServesimException(ErrorKind.INVARIANT, "engine reported '" + event + "' for request "
                    + request.id() + ", which is not in flight");
        }
        return state;
    }

    /** The request ended on its replica now: it ends for the client {@code outbound} seconds later. */
    private void ended(InFlight state, RequestStatus status, String reason, double time) {
        if (outbound == 0) {
            done(state.request.id(), state.toRecord(status, reason, time, 0));
        } else {
            simulation.schedule(outbound, () -> done(state.request.id(),
                    state.toRecord(status, reason, time + outbound, outbound)));
        }
    }

    private void done(long id, RequestRecord record) {
        InFlight state = inFlight.remove(id);
        for (RequestObserver observer : observers) {
            observer.ended(record, state.prefillReplica);
        }
    }

    private final class ReplicaListener implements RequestListener {

        @Override
        public void onQueued(Request request, double time) {
            InFlight state = get(request, "queued");
            if (Double.isNaN(state.queued)) {
                state.queued = time;
            }
        }

        @Override
        public void onScheduled(Request request, double time, int cachedTokens, String cacheEvent) {
            InFlight state = get(request, "scheduled");
            if (Double.isNaN(state.scheduled)) {
                state.scheduled = time;
                state.cachedTokens = cachedTokens;
                state.cacheEvent = cacheEvent;
            }
            for (RequestObserver observer : detailObservers) {
                // as vLLM: a resumed request looks up its prompt and the outputs it had
                observer.admitted(request, state.replica, time, request.promptTokens() + state.outputTokens,
                        cachedTokens);
            }
        }

        @Override
        public void onPrefillChunk(Request request, double time, int tokens) {
            get(request, "prefill chunk");
        }

        @Override
        public void onTokens(Request request, double time, int count) {
            InFlight state = get(request, "tokens");
            if (count < 1) {
                throw new ServesimException(ErrorKind.INVARIANT, "engine reported " + count
                        + " output tokens for request " + request.id());
            }
            double gap = Double.NaN;
            if (Double.isNaN(state.firstToken)) {
                state.firstToken = time;
            } else {
                gap = time - state.lastToken;
                for (RequestObserver observer : observers) {
                    observer.interTokenGap(request, gap);
                }
                if (Double.isNaN(state.maxGap) || gap > state.maxGap) {
                    state.maxGap = gap;
                }
            }
            state.lastToken = time;
            state.outputTokens += count;
            for (RequestObserver observer : detailObservers) {
                observer.tokens(request, state.replica, time, count, gap);
            }
        }

        @Override
        public void onPreempted(Request request, double time) {
            get(request, "preempted").preemptions++;
        }

        @Override
        public void onFinished(Request request, double time) {
            InFlight state = get(request, "finished");
            if (Double.isNaN(state.firstToken)) {
                throw new ServesimException(ErrorKind.INVARIANT, "request " + request.id()
                        + " finished without any output token");
            }
            ended(state, RequestStatus.COMPLETED, "", time);
        }

        @Override
        public void onRejected(Request request, double time, String reason) {
            ended(get(request, "rejected"), RequestStatus.REJECTED, reason, time);
        }
    }

    /** Events of a prefill copy (one output token): its prompt, but neither its token nor its end, count. */
    private final class PrefillListener implements RequestListener {

        private final ReplicaListener whole = new ReplicaListener();
        private final BiConsumer<Request, Integer> prefilled;

        PrefillListener(BiConsumer<Request, Integer> prefilled) {
            this.prefilled = prefilled;
        }

        @Override
        public void onQueued(Request request, double time) {
            whole.onQueued(request, time);
        }

        @Override
        public void onScheduled(Request request, double time, int cachedTokens, String cacheEvent) {
            whole.onScheduled(request, time, cachedTokens, cacheEvent);
        }

        @Override
        public void onPrefillChunk(Request request, double time, int tokens) {
            get(request, "prefill chunk");
        }

        @Override
        public void onTokens(Request request, double time, int count) {
            get(request, "tokens");
        }

        @Override
        public void onPreempted(Request request, double time) {
            whole.onPreempted(request, time);
        }

        @Override
        public void onFinished(Request request, double time) {
            InFlight state = get(request, "finished");
            state.prefillReplica = state.replica;
            prefilled.accept(state.request, state.replica);
        }

        @Override
        public void onRejected(Request request, double time, String reason) {
            whole.onRejected(request, time, reason);
        }
    }

    private static final class InFlight {
        final Request request;
        int replica;
        /** The replica that computed the prompt of a disaggregated request, -1 until then. */
        int prefillReplica = -1;
        double queued = Double.NaN;
        double scheduled = Double.NaN;
        double firstToken = Double.NaN;
        double lastToken = Double.NaN;
        double maxGap = Double.NaN;
        int outputTokens;
        int cachedTokens;
        String cacheEvent = "";
        int preemptions;

        InFlight(Request request, int replica) {
            this.request = request;
            this.replica = replica;
        }

        /**
         * @param time when the client saw the end (or the run ended)
         * @param outbound seconds a token takes from the replica to the client
         */
        RequestRecord toRecord(RequestStatus status, String reason, double time, double outbound) {
            // TPOT as vLLM's request_time_per_output_token: decode time / (output tokens - 1)
            double meanItl = outputTokens > 1 ? (lastToken - firstToken) / (outputTokens - 1) : Double.NaN;
            // a first token still on its way when the run ends never reached the client
            double seen = firstToken + outbound <= time ? firstToken + outbound : Double.NaN;
            return new RequestRecord(request, replica, status, reason, queued, scheduled, seen, time,
                    outputTokens, cachedTokens, cacheEvent, preemptions, meanItl, maxGap);
        }
    }
}
