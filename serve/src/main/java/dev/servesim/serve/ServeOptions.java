package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;

/**
 * How {@code servesim serve} listens and what it bounds.
 *
 * @param host address to bind; loopback unless told otherwise
 * @param port TCP port; 0 picks a free one
 * @param timeScale simulated seconds per wall-clock second (1: real time; 10: the engine seems ten times faster)
 * @param servedModelName the model name clients use, or null for the configuration's {@code framework.model}
 * @param maxConcurrentRequests requests in flight at most (bodies being read, generations not finished); more are
 *     answered 429
 * @param maxBodyBytes largest request body; a larger one is answered 413
 * @param requestTimeoutSeconds wall-clock time a request may take, body included; then it is answered 504 (or its
 *     stream ends with an error event)
 * @param drainSeconds after a shutdown signal, wall-clock time the requests in flight get to finish before the run
 *     ends them unfinished
 */
public record ServeOptions(String host, int port, double timeScale, String servedModelName, int maxConcurrentRequests,
        int maxBodyBytes, long requestTimeoutSeconds, double drainSeconds) {

    /** Default {@link #host()}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default {@link #maxConcurrentRequests()}. */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 256;
    /** Default {@link #maxBodyBytes()}: 4 MiB, room for a 128k-token prompt as text or as token ids. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** Default {@link #requestTimeoutSeconds()}. */
    public static final long DEFAULT_REQUEST_TIMEOUT_SECONDS = 600;
    /** Default {@link #drainSeconds()}. */
    public static final double DEFAULT_DRAIN_SECONDS = 30;

    public ServeOptions {
        requireNonNull(host, "host is null");
        if (host.isBlank()) {
            throw ServesimException.config("--host", "must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw ServesimException.config("--port", "must be between 0 and 65535, got " + port);
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw ServesimException.config("--time-scale", "must be a positive number, got " + timeScale);
        }
        if (servedModelName != null && servedModelName.isBlank()) {
            throw ServesimException.config("--served-model-name", "must not be empty");
        }
        if (maxConcurrentRequests < 1) {
            throw ServesimException.config("--max-concurrent-requests", "must be at least 1, got "
                    + maxConcurrentRequests);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
        }
        if (requestTimeoutSeconds < 1) {
            throw ServesimException.config("--request-timeout", "must be at least 1 second, got "
                    + requestTimeoutSeconds);
        }
        if (!(drainSeconds >= 0) || Double.isInfinite(drainSeconds)) {
            throw ServesimException.config("--drain", "must be a non-negative number of seconds, got " + drainSeconds);
        }
    }

    /** The defaults, on {@code host:port} at {@code timeScale}. */
    public static ServeOptions defaults(String host, int port, double timeScale) {
        return new ServeOptions(host, port, timeScale, null, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_DRAIN_SECONDS);
    }
}
