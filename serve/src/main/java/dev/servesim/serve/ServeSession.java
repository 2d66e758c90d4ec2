package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.BoundComponent;
import dev.servesim.runner.ClusterSettings;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.ExtensionKind;
import dev.servesim.runner.LiveArrivals;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.SimulationRunner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code servesim serve}: a run of the simulated engine, fed in real time by the clients of an OpenAI-compatible
 * HTTP server. {@link #start} checks the configuration, binds the port and starts both; the run goes on until
 * {@link #beginShutdown} (a signal), which stops taking requests (503), gives those in flight the drain time to
 * finish, and lets the run write its outputs as {@code servesim run} does; {@link #awaitResult} returns them.
 *
 * <p>With a co-located cluster of several replicas the server also stands in for each replica on a port of its own
 * ({@link #replicaUrls}): requests there are pinned to that replica (the router never sees them), and its
 * {@code /metrics} holds that replica's vLLM families only, as one vLLM server's would. The API port stays in front
 * of the whole cluster, through its router. A disaggregated cluster has no replica ports: its requests enter through
 * the router, as through vLLM's P/D proxy.
 */
public final class ServeSession implements AutoCloseable {

    /** The sink whose families {@code GET /metrics} serves. */
    static final String PROMETHEUS = "prometheus";

    private final ServedModel model;
    private final ServeOptions options;
    private final ApiServer server;
    private final ApiHandler handler;
    private final List<ApiHandler> replicaHandlers;
    // one replica, whose port is the API port
    private final boolean singleReplica;
    private final LiveArrivals arrivals;
    private final MetricsProxy metrics;
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();
    private final AtomicBoolean shutdownBegun = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServeSession(ServedModel model, ServeOptions options, ApiServer server, ApiHandler handler,
            List<ApiHandler> replicaHandlers, boolean singleReplica, LiveArrivals arrivals, MetricsProxy metrics) {
        this.model = model;
        this.options = options;
        this.server = server;
        this.handler = handler;
        this.replicaHandlers = List.copyOf(replicaHandlers);
        this.singleReplica = singleReplica;
        this.arrivals = arrivals;
        this.metrics = metrics;
    }

    /**
     * Reads {@code file} for serving ({@link ConfigLoader#loadForServing}: the workload is optional) and, unless it
     * lists a {@code prometheus} sink or the plugin is missing, adds one on a free loopback port, whose families
     * {@code GET /metrics} serves on the API port.
     */
    public static RunConfiguration configuration(PluginRegistry registry, Path file, List<String> overrides,
            String servedModelName) {
        ConfigLoader loader = new ConfigLoader(registry);
        RunConfiguration loaded = loader.loadForServing(file, overrides);
        if (hasMetricsSink(loaded) || registry.find(ExtensionKind.SINK, PROMETHEUS).isEmpty()) {
            return loaded;
        }
        Map<String, Object> sink = new LinkedHashMap<>();
        sink.put("host", ServeOptions.DEFAULT_HOST);
        sink.put("port", 0);
        sink.put("model_name", ServedModel.of(loaded, servedModelName, 0).name());
        return loaded.withSink(loader.component(ExtensionKind.SINK, PROMETHEUS, sink, "servesim serve"));
    }

    /**
     * The ports of their own that {@link #start} opens for the replicas of {@code configuration}: one per replica of
     * a co-located cluster of several, none for one replica (the API port is its port) or a disaggregated cluster.
     */
    public static int replicaPorts(RunConfiguration configuration) {
        ClusterSettings cluster = configuration.cluster();
        return cluster.disaggregated() || cluster.replicas() < 2 ? 0 : cluster.replicas();
    }

    /**
     * Checks {@code configuration} as {@code servesim validate} does, binds the ports (the API port, and one per
     * replica: {@link #replicaPorts}), and starts the run and the server; returns once both run.
     *
     * @throws ServesimException CONFIG if the configuration is refused or a port cannot be bound; nothing is
     *     written then
     */
    public static ServeSession start(RunConfiguration configuration, Path outputDirectory, ServeOptions options) {
        requireNonNull(configuration, "configuration is null");
        requireNonNull(outputDirectory, "outputDirectory is null");
        requireNonNull(options, "options is null");
        long created = System.currentTimeMillis() / 1000;
        ServedModel model = ServedModel.of(configuration, options.servedModelName(), created);
        SimulationRunner.check(configuration, outputDirectory);
        int replicas = replicaPorts(configuration);
        ApiServer server = ApiServer.bind(options, replicas, ApiServer.IDLE_TIMEOUT_SECONDS);
        try {
            // a previous run's address must not be mistaken for this run's sink
            Files.deleteIfExists(outputDirectory.resolve(MetricsProxy.ADDRESS_FILE));
            LiveArrivals arrivals = new LiveArrivals(options.timeScale());
            MetricsProxy metrics = new MetricsProxy(outputDirectory, hasMetricsSink(configuration));
            Tokenizer tokenizer = new ApproximateTokenizer();
            ApiHandler handler = new ApiHandler(model, tokenizer, arrivals, options, server.threads(),
                    server.scheduler(), metrics);
            List<ApiHandler> replicaHandlers = new ArrayList<>();
            for (int replica = 0; replica < replicas; replica++) {
                replicaHandlers.add(new ApiHandler(ServedModel.ofReplica(configuration, options.servedModelName(),
                        created, replica), tokenizer, arrivals, options, server.threads(), server.scheduler(),
                        metrics, OptionalInt.of(replica)));
            }
            server.start(handler, replicaHandlers);
            ServeSession session = new ServeSession(model, options, server, handler, replicaHandlers,
                    configuration.cluster().replicas() == 1, arrivals, metrics);
            Thread run = new Thread(() -> session.run(configuration, outputDirectory), "servesim-run");
            run.start();
            return session;
        } catch (IOException e) {
            server.close();
            throw new ServesimException(ErrorKind.IO, "cannot remove the previous "
                    + outputDirectory.resolve(MetricsProxy.ADDRESS_FILE) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void run(RunConfiguration configuration, Path outputDirectory) {
        try {
            result.complete(SimulationRunner.serve(configuration, outputDirectory, new RunControl(), arrivals));
        } catch (Throwable failure) {
            result.completeExceptionally(failure);
        } finally {
            // a run that failed takes no more requests either
            handler.beginShutdown();
            replicaHandlers.forEach(ApiHandler::beginShutdown);
            if (arrivals.isOpen()) {
                arrivals.close(0);
            }
        }
    }

    /** {@code http://HOST:PORT/v1}, the base URL of OpenAI clients. */
    public URI apiUrl() {
        return URI.create(server.baseUrl() + "/v1");
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /**
     * The base URLs ({@code http://HOST:PORT/v1}) that reach one replica each, in replica order (the {@code replica}
     * of requests.csv): a port per replica of a co-located cluster of several; with one replica, the API port, which
     * is that replica's; none for a disaggregated cluster.
     */
    public List<URI> replicaUrls() {
        if (replicaHandlers.isEmpty()) {
            return singleReplica ? List.of(apiUrl()) : List.of();
        }
        List<URI> urls = new ArrayList<>();
        for (URI base : server.replicaBaseUrls()) {
            urls.add(URI.create(base + "/v1"));
        }
        return urls;
    }

    /** The ports of {@link #replicaUrls()}, in replica order. */
    public List<Integer> replicaPortNumbers() {
        List<Integer> ports = new ArrayList<>();
        for (URI url : replicaUrls()) {
            ports.add(url.getPort());
        }
        return ports;
    }

    /** The model name clients use. */
    public String modelName() {
        return model.name();
    }

    /** The run's prometheus sink's own URL, once it serves, if the run has one. */
    public Optional<URI> metricsSinkUrl() {
        return metrics.target();
    }

    /**
     * Requests in flight on every port: bodies being read, answers being written, generations the engine has not
     * finished.
     */
    public int inFlight() {
        int sum = handler.inFlight();
        for (ApiHandler replica : replicaHandlers) {
            sum += replica.inFlight();
        }
        return sum;
    }

    /**
     * Stops taking requests (they are answered 503) and gives those in flight {@link ServeOptions#drainSeconds()}
     * of wall time to finish before the run ends them unfinished and writes its outputs. Idempotent; any thread.
     */
    public void beginShutdown() {
        if (shutdownBegun.compareAndSet(false, true)) {
            handler.beginShutdown();
            replicaHandlers.forEach(ApiHandler::beginShutdown);
            arrivals.close(options.drainSeconds());
        }
    }

    /**
     * Waits until the run has ended (after {@link #beginShutdown}, or on a failure) and returns its result.
     *
     * @throws ServesimException (or the error) that ended the run
     */
    public RunResult awaitResult() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new ServesimException(ErrorKind.INVARIANT, "the run failed: " + cause, cause);
        }
    }

    /**
     * Shuts down if not yet begun, waits for the run to end (its failure is {@link #awaitResult}'s to report), and
     * stops the HTTP server. If interrupted, stops the server without waiting, and keeps the interrupt.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            beginShutdown();
            try {
                result.handle((done, failure) -> null).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException impossible) {
                throw new IllegalStateException(impossible);
            } finally {
                server.close();
            }
        }
    }

    private static boolean hasMetricsSink(RunConfiguration configuration) {
        for (BoundComponent sink : configuration.sinks()) {
            if (sink.name().equals(PROMETHEUS)) {
                return true;
            }
        }
        return false;
    }
}
