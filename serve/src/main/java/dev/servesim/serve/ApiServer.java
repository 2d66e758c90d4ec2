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
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
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
 *
 * <p>Besides its API port the server may listen on one port per replica of a cluster ({@link #bind(ServeOptions,
 * int, int)}): each port has its own handler and its own connection limit, and all share the threads, one more for each
 * replica port (its selector, which also accepts its connections).
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
    /** The highest TCP port. */
    static final int MAX_PORT = 65535;
    // what the final stop waits for answers still being written
    private static final long STOP_MILLIS = 5_000;

    private final Server server;
    private final ServerConnector connector;
    private final List<ServerConnector> replicaConnectors;
    private final String host;
    private final URI baseUrl;

    private ApiServer(Server server, ServerConnector connector, List<ServerConnector> replicaConnectors,
            String host) {
        this.server = server;
        this.connector = connector;
        this.replicaConnectors = List.copyOf(replicaConnectors);
        this.host = host;
        this.baseUrl = urlOf(connector);
    }

    /** Open connections at most, per port: the requests in flight plus {@link #SPARE_CONNECTIONS}. */
    static int maxConnections(ServeOptions options) {
        return options.maxConcurrentRequests() + SPARE_CONNECTIONS;
    }

    /** Binds {@code options.host():options.port()}; serves nothing until {@link #start}. */
    static ApiServer bind(ServeOptions options) {
        return bind(options, 0, IDLE_TIMEOUT_SECONDS);
    }

    /** As {@link #bind(ServeOptions)}, with another idle timeout (tests). */
    static ApiServer bind(ServeOptions options, int idleTimeoutSeconds) {
        return bind(options, 0, idleTimeoutSeconds);
    }

    /**
     * Binds the API port and {@code replicaPorts} more, one per replica: free ports if {@code options.port()} is 0,
     * else the ports after it ({@code port + 1 + i} for replica {@code i}). Connections idle for
     * {@code idleTimeoutSeconds} are closed ({@link #IDLE_TIMEOUT_SECONDS} but in tests).
     *
     * @throws ServesimException CONFIG if a port is taken or the replica ports would pass 65535; nothing listens then
     */
    static ApiServer bind(ServeOptions options, int replicaPorts, int idleTimeoutSeconds) {
        requireNonNull(options, "options is null");
        if (replicaPorts < 0) {
            throw new IllegalArgumentException("replicaPorts must be >= 0, got " + replicaPorts);
        }
        InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        if (address.isUnresolved()) {
            throw ServesimException.config("--host", "cannot resolve '" + options.host() + "'");
        }
        if (options.port() > 0 && options.port() + replicaPorts > MAX_PORT) {
            throw ServesimException.config("--port", "the " + replicaPorts + " replicas listen on the ports after "
                    + options.port() + ", which would pass " + MAX_PORT + " (--port 0 picks free ports)");
        }
        // each replica port's selector holds a thread
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS + replicaPorts, 2);
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
        String bindHost = address.getAddress().getHostAddress();
        ServerConnector connector = connector(server, 1, http, bindHost, options.port(), idleTimeoutSeconds);
        server.addBean(new NetworkConnectionLimit(maxConnections(options), connector));
        List<ServerConnector> replicaConnectors = new ArrayList<>();
        for (int replica = 0; replica < replicaPorts; replica++) {
            // no acceptor thread: the selector accepts, so a replica port costs one thread
            ServerConnector replicaConnector = connector(server, 0, http, bindHost,
                    options.port() == 0 ? 0 : options.port() + 1 + replica, idleTimeoutSeconds);
            server.addBean(new NetworkConnectionLimit(maxConnections(options), replicaConnector));
            replicaConnectors.add(replicaConnector);
        }
        try {
            open(connector, options, "");
            for (int replica = 0; replica < replicaPorts; replica++) {
                open(replicaConnectors.get(replica), options, " (replica " + replica + "'s port: --port "
                        + options.port() + " gives the replicas the " + replicaPorts + " ports after it)");
            }
        } catch (RuntimeException e) {
            closeQuietly(connector, e);
            replicaConnectors.forEach(opened -> closeQuietly(opened, e));
            throw e;
        }
        return new ApiServer(server, connector, replicaConnectors, options.host());
    }

    private static ServerConnector connector(Server server, int acceptors, HttpConfiguration http, String host,
            int port, int idleTimeoutSeconds) {
        ServerConnector connector = new ServerConnector(server, acceptors, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeoutSeconds * 1_000L);
        server.addConnector(connector);
        return connector;
    }

    private static void open(ServerConnector connector, ServeOptions options, String which) {
        try {
            connector.open();
        } catch (IOException e) {
            String where = options.host() + ":" + connector.getPort();
            if (bindException(e)) {
                throw ServesimException.config("--port", "cannot listen on " + where + which + ": " + e.getMessage()
                        + " (another program may use the port; --port 0 picks a free one)");
            }
            throw new ServesimException(ErrorKind.IO, "cannot listen on " + where + which + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ServerConnector connector, RuntimeException failure) {
        try {
            connector.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
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
        start(handler, List.of());
    }

    /** Starts serving with {@code handler} on the API port and {@code replicaHandlers} on the replica ports. */
    void start(ApiHandler handler, List<ApiHandler> replicaHandlers) {
        if (replicaHandlers.size() != replicaConnectors.size()) {
            throw new IllegalArgumentException(replicaHandlers.size() + " handlers for " + replicaConnectors.size()
                    + " replica ports");
        }
        Handler served = handler;
        if (!replicaHandlers.isEmpty()) {
            List<Handler> handlers = new ArrayList<>();
            Map<Connector, Handler> byConnector = new IdentityHashMap<>();
            handlers.add(handler);
            byConnector.put(connector, handler);
            for (int replica = 0; replica < replicaHandlers.size(); replica++) {
                handlers.add(replicaHandlers.get(replica));
                byConnector.put(replicaConnectors.get(replica), replicaHandlers.get(replica));
            }
            served = new ByConnector(handlers, byConnector);
        }
        server.setHandler(new GracefulHandler(served));
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

    /** {@code http://HOST:PORT} of each replica port, in replica order, with the ports actually bound. */
    List<URI> replicaBaseUrls() {
        List<URI> urls = new ArrayList<>();
        for (ServerConnector replica : replicaConnectors) {
            urls.add(urlOf(replica));
        }
        return urls;
    }

    private URI urlOf(ServerConnector bound) {
        return URI.create("http://" + (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host)
                + ":" + bound.getLocalPort());
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

    /** Hands each request to the handler of the port it came in on. */
    private static final class ByConnector extends Handler.Sequence {

        private final Map<Connector, Handler> handlers;

        /** @param byConnector each of {@code handlers} under its port's connector */
        ByConnector(List<Handler> handlers, Map<Connector, Handler> byConnector) {
            super(handlers);
            this.handlers = byConnector;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Handler handler = handlers.get(request.getConnectionMetaData().getConnector());
            return handler != null && handler.handle(request, response, callback);
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
