package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The HTTP server of {@code servesim serve}: Jetty 12 (no servlets), hardened as the prometheus sink's endpoint is.
 * Jetty reads requests and writes answers without blocking, and generations are answered asynchronously
 * ({@link Generation}), so a thread is busy only while a complete request is parsed and handed to the run, or an
 * answer is formatted: neither slow clients nor requests waiting for the engine hold one, and a few threads serve
 * every request in flight. Every resource a client can take is bounded: threads ({@link #MAX_THREADS}), connections
 * ({@link #maxConnections}), time without progress ({@link #IDLE_TIMEOUT_SECONDS}), request header bytes
 * ({@link #MAX_REQUEST_HEADER_BYTES}), and, per {@link ServeOptions}, bodies, requests in flight and each request's
 * wall time. Jetty's own refusals (a malformed request, headers too large) are answered with the same error JSON.
 */
final class ApiServer implements AutoCloseable {

    /** Server threads, all daemons: one accepts, one selects, the others handle complete requests. */
    static final int MAX_THREADS = 16;
    /**
     * A connection that sends or receives nothing for this long, seconds, is closed: a client stalled in its headers
     * or body, one that stops reading its answer, an idle keep-alive connection. (A request waiting for the engine
     * is exempt; its own timeout bounds it.)
     */
    static final int IDLE_TIMEOUT_SECONDS = 15;
    /** Largest request line plus headers, bytes; a larger request is answered 431 and its connection closed. */
    static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    /** Connections beyond the requests in flight: health checks, metrics scrapes, refused requests. */
    static final int SPARE_CONNECTIONS = 256;
    // what the final stop waits for answers still being written
    private static final long STOP_MILLIS = 5_000;

    private final Server server;
    private final ServerConnector connector;
    private final URI baseUrl;

    private ApiServer(Server server, ServerConnector connector, String host) {
        this.server = server;
        this.connector = connector;
        this.baseUrl = URI.create("http://" + (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]"
                : host) + ":" + connector.getLocalPort());
    }

    /** Open connections at most: the requests in flight plus {@link #SPARE_CONNECTIONS}. */
    static int maxConnections(ServeOptions options) {
        return options.maxConcurrentRequests() + SPARE_CONNECTIONS;
    }

    /** Binds {@code options.host():options.port()}; serves nothing until {@link #start}. */
    static ApiServer bind(ServeOptions options) {
        return bind(options, IDLE_TIMEOUT_SECONDS);
    }

    /** As {@link #bind(ServeOptions)}, with another idle timeout (tests). */
    static ApiServer bind(ServeOptions options, int idleTimeoutSeconds) {
        requireNonNull(options, "options is null");
        InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        if (address.isUnresolved()) {
            throw ServesimException.config("--host", "cannot resolve '" + options.host() + "'");
        }
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("servesim-serve");
        threads.setDaemon(true);
        threads.setStopTimeout(STOP_MILLIS);
        Server server = new Server(threads, new ScheduledExecutorScheduler("servesim-serve-timer", true), null);
        server.setStopTimeout(STOP_MILLIS);
        server.setErrorHandler(new JsonErrors());

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        http.setIdleTimeout(idleTimeoutSeconds * 1_000L);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(options.port());
        connector.setIdleTimeout(idleTimeoutSeconds * 1_000L);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(maxConnections(options), connector));
        try {
            connector.open();
        } catch (IOException e) {
            if (bindException(e)) {
                throw ServesimException.config("--port", "cannot listen on " + options.host() + ":" + options.port()
                        + ": " + e.getMessage() + " (another program may use the port; --port 0 picks a free one)");
            }
            throw new ServesimException(ErrorKind.IO, "cannot listen on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
        return new ApiServer(server, connector, options.host());
    }

    private static boolean bindException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** Starts serving with {@code handler}. */
    void start(ApiHandler handler) {
        server.setHandler(new GracefulHandler(handler));
        try {
            server.start();
        } catch (Exception e) {
            ServesimException failure = new ServesimException(ErrorKind.IO, "cannot start serving on " + baseUrl
                    + ": " + e.getMessage(), e);
            try {
                server.stop();
            } catch (Exception stopFailure) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
    }

    /** The server's threads, to answer from off the simulation thread. */
    QueuedThreadPool threads() {
        return (QueuedThreadPool) server.getThreadPool();
    }

    Scheduler scheduler() {
        return server.getScheduler();
    }

    /** {@code http://HOST:PORT}, with the port actually bound. */
    URI baseUrl() {
        return baseUrl;
    }

    int port() {
        return connector.getLocalPort();
    }

    /** Stops listening; answers still being written get {@link #STOP_MILLIS} to finish. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new ServesimException(ErrorKind.IO, "cannot stop the HTTP server: " + e.getMessage(), e);
        }
    }

    /** Jetty's own error answers (a malformed request, headers too large, ...) as vLLM's error JSON. */
    private static final class JsonErrors extends ErrorHandler {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() > 0 ? response.getStatus() : 500;
            // the reason of an HTTP refusal, never the text of another exception
            Object cause = request.getAttribute(ERROR_EXCEPTION);
            Object message = request.getAttribute(ERROR_MESSAGE);
            String text = cause instanceof HttpException http && http.getReason() != null ? http.getReason()
                    : cause == null && message instanceof String given && !given.isBlank() ? given
                    : HttpStatus.getMessage(status);
            byte[] body = ApiError.body(status, text, null).toString().getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
