package dev.servesim.loadgen;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.sim.ScheduledEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;

/**
 * One request's exchange with the server: a streamed {@code POST /v1/completions} of the prompt's token ids with
 * {@code max_tokens} = the request's output tokens and {@code ignore_eos}, so the server generates exactly what the
 * workload asked for. The HTTP client's thread only takes the instant each line arrives; the line is posted to the
 * run's thread with it, parsed and reported there:
 *
 * <ul>
 *   <li>the first chunk with text: scheduled (cached tokens if the server reported them by then, else 0; event
 *       {@code REMOTE}), the prompt computed, and the first token(s);
 *   <li>each later chunk with text: its tokens ({@code usage.completion_tokens} growth when the server sends usage
 *       with every chunk, else 1);
 *   <li>the end of the stream: finished (tokens the server counted in its final usage but never streamed as text are
 *       reported then), and the completed request goes to the trace;
 *   <li>an HTTP error, a refused or lost connection, an error event, a stream cut short or the request timeout:
 *       rejected with one line.
 * </ul>
 */
final class CompletionCall {

    static final String CACHE_EVENT = "REMOTE";
    private static final JsonFactory JSON = new JsonFactory();

    private final RemoteEngine engine;
    private final Request request;
    private final long waitedSinceNanos;
    private long startNanos;
    private final int concurrency;
    private final int[] tokens;
    private final RunThread runThread;
    private ScheduledEvent timeout;
    private volatile CompletableFuture<HttpResponse<String>> exchange;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    // on the run's thread
    private boolean ended;
    private boolean done;
    private int reported;
    private int serverTokens;
    private int usageOutputTokens = -1;
    private int cachedTokens = -1;
    private String finishReason = "";
    private long firstTokenNanos;
    private long lastTokenNanos;
    private double[] gapsMs = new double[16];
    private int[] gapTokens = new int[16];
    private int gaps;

    /**
     * @param waitedSinceNanos when a request that waited for a connection arrived, its TTFT counting from then; -1
     *     for one sent at its arrival, whose TTFT counts from the instant it is handed to the HTTP client
     */
    CompletionCall(RemoteEngine engine, Request request, long waitedSinceNanos, int concurrency) {
        this.engine = engine;
        this.request = request;
        this.waitedSinceNanos = waitedSinceNanos;
        this.concurrency = concurrency;
        this.tokens = PromptTokens.of(request.prompt());
        this.runThread = engine.runThread();
    }

    Request request() {
        return request;
    }

    /** Sends the request (on the run's thread). */
    void start() {
        runThread.hold();
        double seconds = engine.config().requestTimeout();
        timeout = engine.scheduler().schedule(seconds, this::timedOut);
        HttpRequest.Builder builder = HttpRequest.newBuilder(engine.completions())
                .timeout(Duration.ofMillis((long) (seconds * 1000)))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        if (!engine.apiKey().isEmpty()) {
            builder.header("Authorization", "Bearer " + engine.apiKey());
        }
        HttpRequest built = builder.build();
        // as vLLM's benchmark clients: the clock starts once the body is built, when the request is handed over
        startNanos = waitedSinceNanos >= 0 ? waitedSinceNanos : System.nanoTime();
        try {
            exchange = engine.client().sendAsync(built, this::subscriber);
        } catch (RuntimeException e) {
            runThread.post(() -> failed(e));
            return;
        }
        exchange.whenComplete((response, failure) -> runThread.post(() -> answered(response, failure,
                System.nanoTime())));
    }

    /** After the run: aborts the exchange, reporting nothing. Any thread. */
    void cancel() {
        cancelled = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        CompletableFuture<HttpResponse<String>> sent = exchange;
        if (sent != null) {
            sent.cancel(true);
        }
    }

    private byte[] body() {
        return body(engine.config().model(), tokens, request.maxOutputTokens());
    }

    /**
     * A streamed completion of {@code tokens} (token ids, so that prefixes are exact) generating {@code maxTokens}
     * tokens, with usage in every chunk.
     */
    static byte[] body(String model, int[] tokens, int maxTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 6 * tokens.length);
        try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("model", model);
            json.writeFieldName("prompt");
            json.writeArray(tokens, 0, tokens.length);
            json.writeNumberField("max_tokens", maxTokens);
            json.writeBooleanField("ignore_eos", true);
            json.writeBooleanField("stream", true);
            json.writeObjectFieldStart("stream_options");
            json.writeBooleanField("include_usage", true);
            // vLLM: usage in every chunk, so a chunk of several tokens is counted as such
            json.writeBooleanField("continuous_usage_stats", true);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The stream's lines for a 200 answer, the whole body (an error message) otherwise. */
    private BodySubscriber<String> subscriber(HttpResponse.ResponseInfo info) {
        if (info.statusCode() != 200) {
            return BodySubscribers.ofString(StandardCharsets.UTF_8);
        }
        return BodySubscribers.fromLineSubscriber(new Lines(), lines -> "", StandardCharsets.UTF_8, null);
    }

    /** Posts each line of the stream with the instant it arrived. */
    private final class Lines implements Flow.Subscriber<String> {

        @Override
        public void onSubscribe(Flow.Subscription granted) {
            subscription = granted;
            if (cancelled) {
                granted.cancel();
            } else {
                granted.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            // only the instant here: the event is parsed on the run's thread, so the client's I/O thread stays free
            if (!line.isEmpty()) {
                long at = System.nanoTime();
                runThread.post(() -> StreamChunk.parse(line).ifPresent(chunk -> chunk(chunk, at)));
            }
        }

        @Override
        public void onError(Throwable failure) {
            // the exchange's future fails too, and reports it
        }

        @Override
        public void onComplete() {
            // the exchange's future completes after this, and reports the end
        }
    }

    private void chunk(StreamChunk chunk, long at) {
        if (ended) {
            return;
        }
        if (!chunk.error().isEmpty()) {
            engine.count("stream_errors", 1);
            reject("stream error: " + chunk.error());
            return;
        }
        if (chunk.done()) {
            done = true;
            return;
        }
        if (chunk.cachedTokens() >= 0) {
            cachedTokens = chunk.cachedTokens();
        }
        if (!chunk.finishReason().isEmpty()) {
            finishReason = chunk.finishReason();
        }
        int count = 1;
        if (chunk.completionTokens() >= 0) {
            usageOutputTokens = chunk.completionTokens();
            count = Math.max(1, chunk.completionTokens() - serverTokens);
            serverTokens = Math.max(serverTokens, chunk.completionTokens());
        }
        if (chunk.text()) {
            output(count, at);
        }
    }

    private void output(int count, long at) {
        int tokensNow = Math.min(count, request.maxOutputTokens() - reported);
        if (tokensNow <= 0) {
            return;
        }
        RequestListener listener = engine.listener();
        double now = engine.scheduler().now();
        if (reported == 0) {
            int cached = cachedTokens < 0 ? 0 : Math.min(cachedTokens, request.promptTokens());
            listener.onScheduled(request, now, cached, CACHE_EVENT);
            listener.onPrefillChunk(request, now, Math.max(1, request.promptTokens() - cached));
            firstTokenNanos = at;
        } else {
            gap((at - lastTokenNanos) / 1e6, tokensNow);
        }
        lastTokenNanos = at;
        reported += tokensNow;
        listener.onTokens(request, now, tokensNow);
    }

    private void gap(double ms, int count) {
        if (gaps == gapsMs.length) {
            gapsMs = Arrays.copyOf(gapsMs, 2 * gaps);
            gapTokens = Arrays.copyOf(gapTokens, 2 * gaps);
        }
        gapsMs[gaps] = ms;
        gapTokens[gaps] = count;
        gaps++;
    }

    private void answered(HttpResponse<String> response, Throwable failure, long at) {
        if (ended) {
            return;
        }
        if (failure != null) {
            failed(failure);
        } else if (response.statusCode() != 200) {
            engine.count("http_errors", 1);
            reject("HTTP " + response.statusCode() + ": " + ErrorBodies.message(response.body()));
        } else {
            streamEnded(at);
        }
    }

    private void streamEnded(long at) {
        if (reported == 0 && usageOutputTokens > 0) {
            output(usageOutputTokens, at);
        }
        if (reported == 0) {
            engine.count("stream_errors", 1);
            reject("empty answer: the stream ended without output text");
            return;
        }
        if (!done && finishReason.isEmpty()) {
            engine.count("stream_errors", 1);
            reject("stream cut: it ended without [DONE] after " + reported + " output tokens");
            return;
        }
        double now = engine.scheduler().now();
        int unstreamed = Math.min(usageOutputTokens, request.maxOutputTokens()) - reported;
        if (unstreamed > 0) {
            engine.count("tokens_counted_at_end", unstreamed);
            engine.listener().onTokens(request, now, unstreamed);
            reported += unstreamed;
        }
        end();
        engine.listener().onFinished(request, now);
        engine.trace().write(traceRecord());
        runThread.release();
        engine.ended(this);
    }

    private TraceRecord traceRecord() {
        int outputTokens = usageOutputTokens >= 0 ? usageOutputTokens : reported;
        boolean singleTokens = gaps == outputTokens - 1;
        for (int i = 0; i < gaps && singleTokens; i++) {
            singleTokens = gapTokens[i] == 1;
        }
        String reason = !finishReason.isEmpty() ? finishReason
                : reported >= request.maxOutputTokens() ? "length" : "stop";
        return new TraceRecord(request.promptTokens(), Math.max(0, cachedTokens), outputTokens,
                (firstTokenNanos - startNanos) / 1e6, Arrays.copyOf(gapsMs, gaps),
                singleTokens ? new int[0] : Arrays.copyOf(gapTokens, gaps), concurrency,
                request.arrivalTime() * 1000, PromptTokens.blockHashes(tokens), reason);
    }

    private void failed(Throwable failure) {
        if (ended || cancelled) {
            return;
        }
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String reason;
        if (cause instanceof HttpConnectTimeoutException) {
            engine.count("connection_errors", 1);
            reason = "connection failed: no connection within " + format(engine.config().connectTimeout()) + " s";
        } else if (cause instanceof HttpTimeoutException) {
            engine.count("timeouts", 1);
            reason = "timeout: no answer within " + format(engine.config().requestTimeout()) + " s";
        } else if (cause instanceof ConnectException) {
            engine.count("connection_errors", 1);
            reason = "connection failed: " + describe(cause, "refused");
        } else if (cause instanceof IOException) {
            engine.count("connection_errors", 1);
            reason = "connection lost: " + describe(cause, "closed by the server");
        } else {
            engine.count("connection_errors", 1);
            reason = "request failed: " + describe(cause, cause.getClass().getSimpleName());
        }
        reject(reason);
    }

    private void timedOut() {
        if (ended) {
            return;
        }
        engine.count("timeouts", 1);
        reject("timeout: not done within " + format(engine.config().requestTimeout()) + " s");
    }

    private void reject(String reason) {
        end();
        cancel();
        engine.listener().onRejected(request, engine.scheduler().now(), reason);
        runThread.release();
        engine.ended(this);
    }

    private void end() {
        ended = true;
        if (timeout != null) {
            timeout.cancel();
        }
    }

    private static String describe(Throwable cause, String orElse) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? orElse : ErrorBodies.shortened(message);
    }

    private static String format(double seconds) {
        return BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
    }
}
