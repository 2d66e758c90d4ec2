package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One HTTP request being answered, from whichever thread has the answer: the answer is claimed once (a timeout and
 * the engine may race), and the request is completed once, which releases what it held ({@code onDone}: its place
 * among the requests in flight) and cancels its timer.
 *
 * <p>Jetty's idle timeout closes a connection that makes no progress: a client stalled in its body or not reading
 * its answer. While a request waits for the simulation, nothing moves on its connection by design; its
 * {@link #ignoreIdleTimeoutWhile} condition then keeps the connection, and the request's own wall-clock timeout
 * bounds the wait.
 */
final class Exchange {

    static final String JSON = "application/json";

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final Runnable onDone;
    private volatile Runnable onTimeout;
    private volatile Scheduler.Task timer;
    private volatile BooleanSupplier ignoreIdleTimeout = () -> false;

    private Exchange(Request request, Response response, Callback callback, Runnable onDone) {
        this.request = requireNonNull(request, "request is null");
        this.response = requireNonNull(response, "response is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.onDone = requireNonNull(onDone, "onDone is null");
        this.onTimeout = () -> error(new ApiError(408, "the request was not received in time", null));
    }

    /**
     * The exchange of a request Jetty handed to a handler.
     *
     * @param onDone run once when the exchange completes, answered or failed
     */
    static Exchange of(Request request, Response response, Callback callback, Runnable onDone) {
        Exchange exchange = new Exchange(request, response, callback, onDone);
        request.addIdleTimeoutListener(timeout -> !exchange.ignoreIdleTimeout.getAsBoolean());
        request.addFailureListener(exchange::failed);
        return exchange;
    }

    Request request() {
        return request;
    }

    Response response() {
        return response;
    }

    /** Calls {@link #timedOut} after {@code seconds} of wall time unless the exchange completed before. */
    void armTimeout(Scheduler scheduler, long seconds) {
        timer = scheduler.schedule(this::timedOut, seconds, TimeUnit.SECONDS);
        if (completed.get()) {
            timer.cancel();
        }
    }

    /** What a timeout does from now on (until then: answer 408, the body did not arrive in time). */
    void onTimeout(Runnable action) {
        onTimeout = requireNonNull(action, "action is null");
    }

    /** Idle timeouts of the connection are ignored while {@code condition} holds. */
    void ignoreIdleTimeoutWhile(BooleanSupplier condition) {
        ignoreIdleTimeout = requireNonNull(condition, "condition is null");
    }

    /** Takes the right to answer: true once, for the first caller. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Answers {@code status} with {@code body}, unless already answered. */
    void json(int status, JsonNode body) {
        if (claim()) {
            send(status, JSON, body.toString());
        }
    }

    /** Answers the error as JSON, unless already answered. */
    void error(ApiError error) {
        if (error.status() == 413 || error.status() == 408) {
            // the body was not read to its end: the connection cannot carry another request
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        json(error.status(), error.body());
    }

    /** Answers {@code status} with {@code text} of {@code contentType}, after {@link #claim}. */
    void send(int status, String contentType, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), Callback.from(this::succeeded, this::failed));
    }

    /** The answer was sent. */
    void succeeded() {
        if (completed.compareAndSet(false, true)) {
            done();
            callback.succeeded();
        }
    }

    /** The answer could not be sent, or the request failed (the client went away, an idle timeout). */
    void failed(Throwable failure) {
        if (completed.compareAndSet(false, true)) {
            claimed.set(true);
            done();
            callback.failed(failure);
        }
    }

    boolean isCompleted() {
        return completed.get();
    }

    private void timedOut() {
        if (!completed.get()) {
            onTimeout.run();
        }
    }

    private void done() {
        Scheduler.Task task = timer;
        if (task != null) {
            task.cancel();
        }
        onDone.run();
    }
}
