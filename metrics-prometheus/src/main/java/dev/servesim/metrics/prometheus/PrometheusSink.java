package dev.servesim.metrics.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.StepRecord;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records request and engine metrics with Micrometer, timed by the simulated clock (never the wall clock), and serves
 * them at {@code /metrics} for the whole run from a small HTTP server on its own thread. Canonical names are dotted
 * with base units ({@code servesim.request.ttft}, seconds); Micrometer's Prometheus naming convention renders them as
 * {@code servesim_request_ttft_seconds}.
 */
final class PrometheusSink implements MetricSink {

    private static final Duration[] LATENCY_BUCKETS = buckets(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25,
            0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560);

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final Map<RequestStatus, Counter> requests = new EnumMap<>(RequestStatus.class);
    private final Timer ttft;
    private final Timer e2e;
    private final DistributionSummary promptTokens;
    private final Counter generationTokens;
    private final Counter preemptions;
    private final AtomicLong running = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong kvUsagePerMillion = new AtomicLong();
    // gauges are read on the HTTP thread: values cross threads only through atomics
    private final AtomicLong simulatedNanos = new AtomicLong();

    PrometheusSink(PrometheusSinkConfig config, SinkContext context) {
        Clock simulatedClock = new SimulatedClock(context);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), simulatedClock);
        registry.config().commonTags(Tags.of("run", context.runName()));
        for (RequestStatus status : RequestStatus.values()) {
            requests.put(status, Counter.builder("servesim.requests").description("Requests by final status")
                    .tag("status", status.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        ttft = Timer.builder("servesim.request.ttft").description("Time to first token (simulated)")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        e2e = Timer.builder("servesim.request.e2e").description("End-to-end request latency (simulated)")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        promptTokens = DistributionSummary.builder("servesim.request.prompt.tokens").baseUnit("tokens")
                .register(registry);
        generationTokens = Counter.builder("servesim.generation.tokens").baseUnit("tokens").register(registry);
        preemptions = Counter.builder("servesim.preemptions").register(registry);
        Gauge.builder("servesim.requests.running", running, AtomicLong::get).register(registry);
        Gauge.builder("servesim.requests.waiting", waiting, AtomicLong::get).register(registry);
        Gauge.builder("servesim.kv.usage", kvUsagePerMillion, value -> value.get() / 1e6)
                .description("Fraction of KV blocks in use").register(registry);
        Gauge.builder("servesim.simulated.time", simulatedNanos, value -> value.get() / 1e9).baseUnit("seconds")
                .description("Simulated time of the last snapshot").register(registry);
        server = start(config, context);
    }

    private HttpServer start(PrometheusSinkConfig config, SinkContext context) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 16);
        } catch (BindException e) {
            throw new ServesimException(ErrorKind.CONFIG, "sinks.prometheus: cannot listen on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage() + " (is the port taken? port: 0 picks a free one)");
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "prometheus sink cannot listen on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        http.createContext("/metrics", this::scrape);
        http.createContext("/", exchange -> respond(exchange, 404, "only /metrics is served\n"));
        http.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "servesim-prometheus");
            thread.setDaemon(true);
            return thread;
        }));
        http.start();
        String address = "http://" + config.host() + ":" + http.getAddress().getPort() + "/metrics";
        try {
            Files.writeString(context.outputDirectory().resolve("prometheus.address"), address + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            http.stop(0);
            throw new ServesimException(ErrorKind.IO, "cannot write prometheus.address: " + e.getMessage(), e);
        }
        System.getLogger(PrometheusSink.class.getName()).log(System.Logger.Level.INFO, "metrics at " + address);
        return http;
    }

    private void scrape(HttpExchange exchange) throws IOException {
        if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
            respond(exchange, 404, "only /metrics is served\n");
            return;
        }
        respond(exchange, 200, registry.scrape());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        requests.get(record.status()).increment();
        if (!Double.isNaN(record.firstTokenTime())) {
            ttft.record((long) (record.ttft() * 1e9), TimeUnit.NANOSECONDS);
        }
        if (record.status() == RequestStatus.COMPLETED) {
            e2e.record((long) (record.e2e() * 1e9), TimeUnit.NANOSECONDS);
            promptTokens.record(record.request().promptTokens());
        }
        generationTokens.increment(record.outputTokens());
    }

    @Override
    public void onStep(StepRecord step) {
        if (step.preemptions() > 0) {
            preemptions.increment(step.preemptions());
        }
    }

    @Override
    public void onSnapshot(double time, int replica, EngineLoad load) {
        simulatedNanos.set(Math.round(time * 1e9));
        running.set(load.running());
        waiting.set(load.waiting());
        kvUsagePerMillion.set(Math.round(load.kvUsage() * 1e6));
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        server.stop(0);
        registry.close();
    }

    private static Duration[] buckets(double... seconds) {
        Duration[] durations = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return durations;
    }

    /** Micrometer's clock driven by simulated time, so rates and histograms follow the simulation. */
    private record SimulatedClock(SinkContext context) implements Clock {
        @Override
        public long wallTime() {
            return 1 + (long) (context.clock().now() * 1e3);
        }

        @Override
        public long monotonicTime() {
            return 1 + (long) (context.clock().now() * 1e9);
        }
    }
}
