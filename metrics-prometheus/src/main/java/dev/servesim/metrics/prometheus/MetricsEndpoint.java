package dev.servesim.metrics.prometheus;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The HTTP side of the sink: {@code GET /metrics} (the Prometheus text format) and {@code GET /health}, nothing
 * else, served by a few daemon threads so that scrapes never run on the simulation thread. A scrape is rendered into
 * a buffer before the first byte is sent, so a client that goes away mid-response only fails its own write.
 *
 * <p>The server is Jetty, whose selector reads requests without blocking: a client that sends its request slowly,
 * or never finishes it, holds a connection but no thread, and a thread runs only for a complete request. Every
 * resource a client can take is bounded: threads ({@link #MAX_THREADS}), connections ({@link #MAX_CONNECTIONS}),
 * time without progress ({@link #IDLE_TIMEOUT_SECONDS}) and request header bytes ({@link #MAX_REQUEST_HEADER_BYTES}).
 * Request bodies are never read: a request that announces one is answered and its connection closed.
 */
final class MetricsEndpoint implements AutoCloseable {

    static final String METRICS_PATH = "/metrics";
    static final String HEALTH_PATH = "/health";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /**
     * Threads of the server, all daemons: one accepts connections, one selects (reads requests and writes responses
     * without blocking), the others render and answer complete requests. Enough that Jetty's thread budget holds on
     * a two-core machine; slow clients hold none of them.
     */
    static final int MAX_THREADS = 8;
    /**
     * A connection that sends or receives nothing for this long, seconds, is closed: a client that stalls in its
     * headers or body, or stops reading its response, and an idle keep-alive connection.
     */
    static final int IDLE_TIMEOUT_SECONDS = 5;
    /** Largest request line plus headers, bytes; a larger request is answered 431 and its connection closed. */
    static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    /**
     * Open connections at most. Beyond it the server accepts no more connections: they wait in the listen backlog
     * until one closes, at the latest after the idle timeout.
     */
    static final int MAX_CONNECTIONS = 256;
    // a stop cuts off what is in flight: it only waits this long for the threads to end
    private static final long STOP_MILLIS = 1_000;

    /** Writes the exposition. */
    @FunctionalInterface
    interface Exposition {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Server server;
    private final Exposition exposition;
    private final Runnable onFailedResponse;
    private final String host;
    private final int port;
    // a sizing hint for the next scrape's buffer, shared by the HTTP threads
    private volatile int lastScrapeBytes = 16 * 1024;

    private MetricsEndpoint(Server server, ServerConnector connector, Exposition exposition,
            Runnable onFailedResponse, String host) {
        this.server = server;
        this.exposition = exposition;
        this.onFailedResponse = onFailedResponse;
        this.port = connector.getLocalPort();
        this.host = host;
    }

    /** The URL of the metrics at {@code host} (as configured: a name or an address) and {@code port}. */
    static String url(String host, int port) {
        return "http://" + (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port
                + METRICS_PATH;
    }

    /**
     * Binds {@code host:port} and starts serving.
     *
     * @param onFailedResponse called on an HTTP thread when a response could not be sent (the client went away)
     * @throws ServesimException CONFIG if the address cannot be bound, e.g. because the port is taken
     */
    static MetricsEndpoint start(String host, int port, Exposition exposition, Runnable onFailedResponse) {
        return start(host, port, exposition, onFailedResponse, IDLE_TIMEOUT_SECONDS * 1_000L);
    }

    /**
     * As {@link #start(String, int, Exposition, Runnable)}, closing connections idle for {@code idleTimeoutMillis}
     * ({@link #IDLE_TIMEOUT_SECONDS} but in tests, which wait for it).
     */
    static MetricsEndpoint start(String host, int port, Exposition exposition, Runnable onFailedResponse,
            long idleTimeoutMillis) {
        requireNonNull(exposition, "exposition is null");
        requireNonNull(onFailedResponse, "onFailedResponse is null");
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw ServesimException.config("sinks.prometheus.host", "cannot resolve '" + host + "'");
        }
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("servesim-prometheus");
        threads.setDaemon(true);
        threads.setStopTimeout(STOP_MILLIS);
        Server server = new Server(threads, new ScheduledExecutorScheduler("servesim-prometheus-timer", true), null);
        server.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        http.setIdleTimeout(idleTimeoutMillis);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeoutMillis);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));

        try {
            // bind first, so that a taken port is told apart from any other failure to start
            connector.open();
        } catch (IOException e) {
            BindException bind = bindException(e);
            if (bind != null) {
                throw ServesimException.config("sinks.prometheus.port", "cannot listen on " + host + ":" + port
                        + ": " + bind.getMessage() + " (another program may use the port; port: 0 picks a free one)");
            }
            throw new ServesimException(ErrorKind.IO, "prometheus sink cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        MetricsEndpoint endpoint = new MetricsEndpoint(server, connector, exposition, onFailedResponse, host);
        server.setHandler(endpoint.new MetricsHandler());
        try {
            server.start();
        } catch (Exception e) {
            ServesimException failure = new ServesimException(ErrorKind.IO, "prometheus sink cannot start serving on "
                    + host + ":" + port + ": " + e.getMessage(), e);
            try {
                server.stop();
            } catch (Exception stopFailure) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
        return endpoint;
    }

    private static BindException bindException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return bind;
            }
        }
        return null;
    }

    /** The URL of the metrics, with the port actually bound. */
    String url() {
        return url(host, port);
    }

    /** The port actually bound. */
    int port() {
        return port;
    }

    /** Answers one complete request, on a server thread. */
    private final class MetricsHandler extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            HttpFields headers = request.getHeaders();
            if (headers.contains(HttpHeader.TRANSFER_ENCODING) || headers.getLongField(HttpHeader.CONTENT_LENGTH) > 0) {
                // the body is never read: answer, then close instead of reading past it to the next request
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            String method = request.getMethod();
            boolean head = HttpMethod.HEAD.is(method);
            if (!head && !HttpMethod.GET.is(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                respond(response, callback, 405, "method not allowed: use GET\n");
                return true;
            }
            String path = Request.getPathInContext(request);
            if (METRICS_PATH.equals(path)) {
                scrape(response, callback);
            } else if (HEALTH_PATH.equals(path)) {
                respond(response, callback, 200, "ok\n");
            } else {
                respond(response, callback, 404, "not found: servesim serves " + METRICS_PATH + " and "
                        + HEALTH_PATH + "\n");
            }
            return true;
        }

        private void scrape(Response response, Callback callback) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(lastScrapeBytes + 1024);
            try {
                exposition.writeTo(buffer);
            } catch (IOException | RuntimeException e) {
                respond(response, callback, 500, "cannot render the metrics: " + e + "\n");
                return;
            }
            lastScrapeBytes = buffer.size();
            send(response, callback, 200, CONTENT_TYPE, buffer.toByteArray());
        }

        private void respond(Response response, Callback callback, int status, String text) {
            send(response, callback, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends the whole body at once; Jetty leaves it out for HEAD and keeps the headers of GET. */
        private void send(Response response, Callback callback, int status, String contentType, byte[] body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), Callback.from(callback::succeeded, failure -> {
                onFailedResponse.run();
                callback.failed(failure);
            }));
        }
    }

    /** Stops listening and ends the HTTP threads; a scrape in progress is cut off. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new ServesimException(ErrorKind.IO, "prometheus sink cannot stop its HTTP server: " + e.getMessage(),
                    e);
        }
    }
}
