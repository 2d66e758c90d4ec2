package dev.servesim.metrics.prometheus;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the sink: {@code GET /metrics} (the Prometheus text format) and {@code GET /health}, nothing
 * else, served by a few daemon threads so that scrapes never run on the simulation thread. A scrape is rendered into
 * a buffer before the first byte is sent, so a client that goes away mid-response only fails its own write.
 *
 * <p>The JDK's server reads a request's headers on the executor's threads, with no time limit by default: one client
 * that never finishes its headers held the only thread and blocked every scrape. So there are {@link #THREADS}
 * threads, and a request must arrive whole within {@link #MAX_REQUEST_SECONDS} seconds
 * ({@code sun.net.httpserver.maxReqTime}, unless the user set it) or the server closes its connection.
 */
final class MetricsEndpoint implements AutoCloseable {

    static final String METRICS_PATH = "/metrics";
    static final String HEALTH_PATH = "/health";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Requests served at once: slow clients hold at most this many threads, the others keep being answered. */
    static final int THREADS = 4;
    /** Time a client has to send its whole request, seconds. */
    static final int MAX_REQUEST_SECONDS = 5;

    static {
        // read once, when the JDK's server class is first used; set before any HttpServer.create of this process
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        }
    }

    /** Writes the exposition. */
    @FunctionalInterface
    interface Exposition {
        void writeTo(OutputStream out) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Exposition exposition;
    private final Runnable onFailedResponse;
    private final String url;
    // a sizing hint for the next scrape's buffer, shared by the HTTP threads
    private volatile int lastScrapeBytes = 16 * 1024;

    private MetricsEndpoint(HttpServer server, ExecutorService executor, Exposition exposition,
            Runnable onFailedResponse, String host) {
        this.server = server;
        this.executor = executor;
        this.exposition = exposition;
        this.onFailedResponse = onFailedResponse;
        this.url = "http://" + (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":"
                + server.getAddress().getPort() + METRICS_PATH;
    }

    /**
     * Binds {@code host:port} and starts serving.
     *
     * @param onFailedResponse called on an HTTP thread when a response could not be sent (the client went away)
     * @throws ServesimException CONFIG if the address cannot be bound, e.g. because the port is taken
     */
    static MetricsEndpoint start(String host, int port, Exposition exposition, Runnable onFailedResponse) {
        requireNonNull(exposition, "exposition is null");
        requireNonNull(onFailedResponse, "onFailedResponse is null");
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw ServesimException.config("sinks.prometheus.host", "cannot resolve '" + host + "'");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (BindException e) {
            throw ServesimException.config("sinks.prometheus.port", "cannot listen on " + host + ":" + port + ": "
                    + e.getMessage() + " (another program may use the port; port: 0 picks a free one)");
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "prometheus sink cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "servesim-prometheus-" + server.getAddress().getPort() + "-"
                    + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, exposition, onFailedResponse, host);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    /** The URL of the metrics, with the port actually bound. */
    String url() {
        return url;
    }

    private void handle(HttpExchange exchange) {
        try {
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "method not allowed: use GET\n", false);
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case METRICS_PATH -> scrape(exchange, head);
                case HEALTH_PATH -> respond(exchange, 200, "ok\n", head);
                default -> respond(exchange, 404, "not found: servesim serves " + METRICS_PATH + " and "
                        + HEALTH_PATH + "\n", head);
            }
        } catch (IOException e) {
            onFailedResponse.run();
        } finally {
            exchange.close();
        }
    }

    private void scrape(HttpExchange exchange, boolean head) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(lastScrapeBytes + 1024);
        try {
            exposition.writeTo(buffer);
        } catch (IOException | RuntimeException e) {
            respond(exchange, 500, "cannot render the metrics: " + e + "\n", head);
            return;
        }
        lastScrapeBytes = buffer.size();
        send(exchange, 200, CONTENT_TYPE, buffer.toByteArray(), head);
    }

    private static void respond(HttpExchange exchange, int status, String text, boolean head) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), head);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, boolean head)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops listening and ends the HTTP thread; a scrape in progress is cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
