package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.loadgen.config.RemoteConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A remote OpenAI-compatible server as the run's engine. {@link #submit} (at the request's arrival, simulated time
 * being wall-clock time) reports the request queued and streams it to {@code POST /v1/completions}
 * ({@link CompletionCall}); the server's answers come back on the run's thread at the time they arrived and are
 * reported as the engine's lifecycle events. At most {@code max_connections} requests are at the server at once; the
 * others wait here, in arrival order. With a request limit, the requests beyond it are never sent: once the allowed
 * ones have ended the run stops, and those left end unfinished.
 */
final class RemoteEngine implements ServingEngine {

    /** A request that arrived, to be sent now or when a connection is free ({@code waited}). */
    private record Waiting(Request request, long arrivalNanos, int concurrency, boolean waited) {}

    private final RemoteConfig config;
    private final RemoteSession session;
    private final RequestListener listener;
    private final EventScheduler scheduler;
    private final RunThread runThread;
    private final HttpClient client;
    private final URI completions;
    private final Map<Long, CompletionCall> calls = new LinkedHashMap<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private long accepted;
    private long heldBack;
    private volatile boolean closed;

    RemoteEngine(RemoteConfig config, EngineContext context, RemoteSession session) {
        this.config = requireNonNull(config, "config is null");
        this.session = requireNonNull(session, "session is null");
        this.runThread = session.runThread();
        if (runThread == null) {
            throw new ServesimException(ErrorKind.CONFIG,
                    "framework 'remote' is servesim loadgen's: run the configuration with servesim loadgen --target URL");
        }
        this.listener = context.requests();
        this.scheduler = context.scheduler();
        this.completions = URI.create(config.url() + "/v1/completions");
        this.client = session.client(config);
        warmUp();
        for (String counter : List.of("requests_sent", "requests_not_sent", "http_errors", "connection_errors",
                "timeouts", "stream_errors", "tokens_counted_at_end")) {
            counters.put(counter, 0L);
        }
    }

    /**
     * Opens a connection and runs the client's code once before the first request (GET /v1/models, its answer
     * dropped), so that the first request's TTFT does not carry the client's start-up.
     */
    private void warmUp() {
        HttpRequest.Builder models = HttpRequest.newBuilder(URI.create(config.url() + "/v1/models"))
                .timeout(Duration.ofMillis((long) (config.connectTimeout() * 1000))).GET();
        if (!session.apiKey().isEmpty()) {
            models.header("Authorization", "Bearer " + session.apiKey());
        }
        client.sendAsync(models.build(), HttpResponse.BodyHandlers.discarding());
    }

    @Override
    public void submit(Request request) {
        long arrivalNanos = System.nanoTime();
        listener.onQueued(request, scheduler.now());
        if (session.maxRequests().isPresent() && accepted >= session.maxRequests().getAsLong()) {
            // beyond the limit: never sent, unfinished when the run stops
            heldBack++;
            count("requests_not_sent", 1);
            stopIfLimitDone();
            return;
        }
        accepted++;
        int concurrency = calls.size() + waiting.size() + 1;
        if (calls.size() < config.maxConnections()) {
            send(new Waiting(request, arrivalNanos, concurrency, false));
        } else {
            waiting.add(new Waiting(request, arrivalNanos, concurrency, true));
        }
    }

    private void send(Waiting next) {
        if (closed) {
            return;
        }
        CompletionCall call = new CompletionCall(this, next.request(), next.waited() ? next.arrivalNanos() : -1,
                next.concurrency());
        calls.put(next.request().id(), call);
        count("requests_sent", 1);
        call.start();
    }

    /** A call ended (finished or rejected): its connection goes to the next waiting request. */
    void ended(CompletionCall call) {
        calls.remove(call.request().id());
        while (!waiting.isEmpty() && calls.size() < config.maxConnections()) {
            send(waiting.poll());
        }
        stopIfLimitDone();
    }

    private void stopIfLimitDone() {
        if (heldBack > 0 && calls.isEmpty() && waiting.isEmpty()) {
            session.stopAtLimit();
        }
    }

    void count(String counter, long amount) {
        counters.merge(counter, amount, Long::sum);
    }

    /**
     * The HTTP client of requests to {@code config}'s server. Its callbacks only take an instant and post
     * (CompletionCall), so they run where the client reads the answer: no hand-over to another thread between the
     * bytes arriving and the instant taken.
     */
    static HttpClient httpClient(RemoteConfig config) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis((long) (config.connectTimeout() * 1000)))
                .executor(Runnable::run)
                .build();
    }

    RemoteConfig config() {
        return config;
    }

    RequestListener listener() {
        return listener;
    }

    EventScheduler scheduler() {
        return scheduler;
    }

    RunThread runThread() {
        return runThread;
    }

    HttpClient client() {
        return client;
    }

    URI completions() {
        return completions;
    }

    String apiKey() {
        return session.apiKey();
    }

    TraceWriter trace() {
        return session.trace();
    }

    @Override
    public EngineLoad load() {
        return new EngineLoad(calls.size(), (int) Math.min(Integer.MAX_VALUE, waiting.size() + heldBack), 0, 0);
    }

    @Override
    public EngineInfo info() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("url", config.url());
        properties.put("model", config.model());
        return new EngineInfo(0, 0, config.maxModelLen(), properties);
    }

    @Override
    public Map<String, Long> counters() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /** After the run (any thread): gives up the exchanges still open. */
    void close() {
        closed = true;
        // called once the run is over (on its thread, or after it), so nothing else touches the calls
        for (CompletionCall call : new ArrayList<>(calls.values())) {
            call.cancel();
        }
    }
}
