package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.runner.LiveListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * One generation request in the run, answered as the engine progresses: the simulation thread reports tokens and the
 * end ({@link LiveListener}), which only records them and wakes a server thread; that thread writes what is new, one
 * asynchronous write at a time (Jetty's {@link IteratingCallback}), so no thread waits for the simulation or for a
 * slow client.
 *
 * <p>A whole answer ({@code stream: false}) is sent when the request ends. A stream sends nothing until the first
 * token (so a request the engine rejects is still answered 400), then server-sent events: the role (chat), one chunk
 * per write with the tokens generated since the previous one, a chunk with {@code finish_reason}, the usage if asked
 * for, and {@code data: [DONE]}. The request's wall-clock timeout answers 504, or ends a started stream with an
 * error event; a run that stops before the request finished answers 503, or ends a started stream with
 * {@code finish_reason: abort}.
 */
final class Generation extends IteratingCallback implements LiveListener {

    static final String EVENT_STREAM = "text/event-stream";
    private static final String DONE = "data: [DONE]\n\n";

    private final Exchange exchange;
    private final GenerationRequest request;
    private final String model;
    private final long createdEpochSeconds;
    private final Executor executor;
    private final Runnable onSimulationEnded;
    private final AtomicBoolean dispatched = new AtomicBoolean();

    // written by the simulation thread (and the timer), read by process(); ended is written after the last tokens
    private volatile int generated;
    private volatile RequestRecord ended;
    private volatile boolean timedOut;
    private volatile OpenAiJson json;
    private volatile boolean writePending;

    // process() state: IteratingCallback runs one process() at a time
    private int sent;
    private boolean headersSent;
    private volatile boolean finished;

    /**
     * @param onSimulationEnded run once, on the simulation thread, when the engine is done with the request
     */
    Generation(Exchange exchange, GenerationRequest request, String model, long createdEpochSeconds,
            Executor executor, Runnable onSimulationEnded) {
        this.exchange = requireNonNull(exchange, "exchange is null");
        this.request = requireNonNull(request, "request is null");
        this.model = requireNonNull(model, "model is null");
        this.createdEpochSeconds = createdEpochSeconds;
        this.executor = requireNonNull(executor, "executor is null");
        this.onSimulationEnded = requireNonNull(onSimulationEnded, "onSimulationEnded is null");
    }

    /** The run took the request as {@code requestId}: answers may start. */
    void submitted(long requestId) {
        json = new OpenAiJson(request.kind(), request.kind().responseId(requestId), createdEpochSeconds, model,
                request.includeUsage());
        wake();
    }

    /** The request's wall-clock time is up. */
    void timedOut() {
        timedOut = true;
        wake();
    }

    /** While this holds, the connection is quiet on purpose: the request waits for the simulation. */
    boolean waitingForSimulation() {
        return !writePending && !finished;
    }

    @Override
    public void onTokens(int count, double simulatedTime) {
        // only the simulation thread writes it
        generated = generated + count;
        wake();
    }

    @Override
    public void onEnded(RequestRecord record) {
        ended = record;
        onSimulationEnded.run();
        wake();
    }

    private void wake() {
        if (json == null || !dispatched.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                dispatched.set(false);
                iterate();
            });
        } catch (RejectedExecutionException stopped) {
            // the server has stopped: nobody is left to answer
            abort(stopped);
        }
    }

    @Override
    protected Action process() {
        writePending = false;
        if (finished) {
            return Action.SUCCEEDED;
        }
        RequestRecord end = ended;
        int available = generated;
        boolean late = timedOut && end == null;
        if (!headersSent && (!request.stream() || end != null && available == 0 || late)) {
            return answerWhole(end, late);
        }
        if (!headersSent && available == 0) {
            return Action.IDLE;
        }
        StringBuilder events = new StringBuilder();
        if (!headersSent) {
            Response response = exchange.response();
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, EVENT_STREAM);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            headersSent = true;
            if (request.kind() == GenerationRequest.Kind.CHAT) {
                event(events, json.roleChunk());
            }
        }
        if (available > sent) {
            event(events, json.textChunk(FillerText.of(sent, available - sent)));
            sent = available;
        }
        if (end != null) {
            if (end.status() == RequestStatus.REJECTED) {
                event(events, ApiError.body(400, end.reason(), null));
            } else {
                event(events, json.finishChunk(end.status() == RequestStatus.COMPLETED ? OpenAiJson.LENGTH
                        : OpenAiJson.ABORT));
                if (request.includeUsage()) {
                    event(events, json.usageChunk(end));
                }
            }
            events.append(DONE);
            finished = true;
        } else if (late) {
            event(events, ApiError.body(504, timeoutMessage(), null));
            events.append(DONE);
            finished = true;
        }
        if (events.length() == 0) {
            return Action.IDLE;
        }
        return write(events.toString());
    }

    /** The answer as one JSON body: the request ended, was rejected, cut off, or timed out. */
    private Action answerWhole(RequestRecord end, boolean late) {
        finished = true;
        if (late) {
            return answer(504, ApiError.body(504, timeoutMessage(), null));
        }
        if (end == null) {
            // not streaming and not ended yet
            finished = false;
            return Action.IDLE;
        }
        return switch (end.status()) {
            case COMPLETED -> answer(200, json.whole(end, FillerText.of(0, end.outputTokens()), OpenAiJson.LENGTH));
            case REJECTED -> answer(400, ApiError.body(400, end.reason(), null));
            case UNFINISHED -> answer(503, ApiError.body(503, "servesim stopped before the request finished ("
                    + end.outputTokens() + " of " + request.maxTokens() + " tokens generated)", null));
        };
    }

    private Action answer(int status, JsonNode body) {
        Response response = exchange.response();
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        writePending = true;
        response.write(true, ByteBuffer.wrap(bytes), this);
        return Action.SCHEDULED;
    }

    private Action write(String events) {
        writePending = true;
        exchange.response().write(finished, ByteBuffer.wrap(events.getBytes(StandardCharsets.UTF_8)), this);
        return Action.SCHEDULED;
    }

    private static void event(StringBuilder events, JsonNode data) {
        events.append("data: ").append(data).append("\n\n");
    }

    private String timeoutMessage() {
        return "the request did not finish within its time limit (the simulated engine is slower than the client "
                + "waits; see servesim serve --request-timeout)";
    }

    @Override
    protected void onCompleteSuccess() {
        exchange.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable failure) {
        exchange.failed(failure);
    }
}
