package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import dev.servesim.loadgen.config.RemoteConfig;
import dev.servesim.runner.RunControl;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the remote engines of one loadgen run share with the command: the API key (never part of the configuration,
 * so never written with the results), the request limit, the HTTP client (the warm-up's, so that its connections and
 * its warmed code serve the run), and - once the run starts - the run's thread, its stop handle and the trace the
 * completed requests go to.
 */
final class RemoteSession {

    private final String apiKey;
    private final OptionalLong maxRequests;
    private final List<RemoteEngine> engines = new ArrayList<>();
    private RunThread runThread;
    private RunControl control;
    private TraceWriter trace;
    private boolean stoppedAtLimit;
    private HttpClient client;

    /**
     * @param apiKey sent as {@code Authorization: Bearer}; empty for none
     * @param maxRequests requests sent at most; the run stops once they have ended
     */
    RemoteSession(String apiKey, OptionalLong maxRequests) {
        this.apiKey = requireNonNull(apiKey, "apiKey is null");
        this.maxRequests = requireNonNull(maxRequests, "maxRequests is null");
    }

    /** Called before the run is assembled (its engines are created with it). */
    synchronized void attach(RunThread runThread, RunControl control, TraceWriter trace) {
        this.runThread = requireNonNull(runThread, "runThread is null");
        this.control = requireNonNull(control, "control is null");
        this.trace = requireNonNull(trace, "trace is null");
    }

    synchronized void register(RemoteEngine engine) {
        if (runThread == null) {
            throw new IllegalStateException("the remote engine is created by servesim loadgen only");
        }
        engines.add(engine);
    }

    String apiKey() {
        return apiKey;
    }

    /** The session's HTTP client, made for {@code config} by the first call ({@link RemoteEngine#httpClient}). */
    synchronized HttpClient client(RemoteConfig config) {
        if (client == null) {
            client = RemoteEngine.httpClient(config);
        }
        return client;
    }

    OptionalLong maxRequests() {
        return maxRequests;
    }

    synchronized RunThread runThread() {
        return runThread;
    }

    synchronized TraceWriter trace() {
        return trace;
    }

    /** Every request allowed was sent and has ended: the run stops (on the run's thread). */
    void stopAtLimit() {
        RunControl stop;
        synchronized (this) {
            stoppedAtLimit = true;
            stop = control;
        }
        stop.requestStop("request limit");
    }

    synchronized boolean stoppedAtLimit() {
        return stoppedAtLimit;
    }

    /** After the run: gives up what is still in flight at the server and frees the HTTP clients. */
    void close() {
        List<RemoteEngine> created;
        synchronized (this) {
            created = List.copyOf(engines);
        }
        for (RemoteEngine engine : created) {
            engine.close();
        }
    }
}
