package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.loadgen.config.RemoteConfig;
import dev.servesim.runner.RunControl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests sent before the measured run ({@code --warmup N}, as vLLM's {@code bench serve --num-warmups}) and left
 * out of everything it records. They open connections and run the client's and the server's code paths, so that the
 * first measured requests do not carry start-up costs: a JVM's interpreted first calls (servesim's own serve and
 * loadgen) or a server's first requests. Each streams a completion of {@value #PROMPT_TOKENS} token ids that no
 * workload prompt starts with (so it seeds no prefix the workload shares) and {@value #OUTPUT_TOKENS} output tokens,
 * at most {@value #CONCURRENCY} at once (or {@code max_connections} if fewer), each within the
 * {@code request_timeout}.
 */
final class Warmup {

    static final int PROMPT_TOKENS = 64;
    static final int OUTPUT_TOKENS = 8;
    /** Warm-up requests at the server at once: a light load, well within any server's limits. */
    static final int CONCURRENCY = 16;
    /** Content ids of warm-up prompts: workloads count theirs up from 0. */
    private static final long FIRST_CONTENT = Long.MIN_VALUE;

    /** How the warm-up went: requests sent, those that failed, and the first failure's message. */
    record Outcome(int sent, int failed, String firstFailure) {

        /** One line for the run's notes. */
        String note() {
            return "warm-up: " + failed + " of " + sent + " requests failed (first: " + firstFailure + ")";
        }
    }

    private final RemoteConfig config;
    private final String apiKey;
    private final HttpClient client;
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    private Warmup(RemoteConfig config, String apiKey, HttpClient client) {
        this.config = config;
        this.apiKey = apiKey;
        this.client = client;
    }

    /**
     * Sends {@code requests} warm-up requests to {@code config}'s server with {@code client} (the run's, whose
     * connections then stay open for the run) and waits for them to end.
     *
     * @throws ServesimException ({@code IO}) if every one failed: the server cannot take the run either
     */
    static Outcome run(RemoteConfig config, String apiKey, HttpClient client, int requests, RunControl control)
            throws InterruptedException {
        requireNonNull(config, "config is null");
        requireNonNull(apiKey, "apiKey is null");
        Warmup warmup = new Warmup(config, apiKey, requireNonNull(client, "client is null"));
        Semaphore connections = new Semaphore(Math.min(CONCURRENCY, config.maxConnections()));
        List<CompletableFuture<Void>> sent = new ArrayList<>(requests);
        // Ctrl-C sends no more, and the run that follows stops at once
        for (int i = 0; i < requests && !control.stopRequested(); i++) {
            connections.acquire();
            sent.add(warmup.send(i).whenComplete((done, failure) -> connections.release()));
        }
        for (CompletableFuture<Void> request : sent) {
            // each ends within the request timeout: answered, failed or timed out
            request.handle((done, failure) -> null).join();
        }
        Outcome outcome = new Outcome(sent.size(), warmup.failed.get(), warmup.firstFailure.get());
        if (outcome.sent() > 0 && outcome.failed() == outcome.sent()) {
            throw new ServesimException(ErrorKind.IO, "--warmup: none of the " + outcome.sent() + " warm-up requests "
                    + "to " + config.url() + " succeeded (first: " + outcome.firstFailure() + ")");
        }
        return outcome;
    }

    private CompletableFuture<Void> send(int index) {
        int[] tokens = new int[PROMPT_TOKENS];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = PromptTokens.tokenId(FIRST_CONTENT + index, i);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.url() + "/v1/completions"))
                .timeout(Duration.ofMillis((long) (config.requestTimeout() * 1000)))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(CompletionCall.body(config.model(), tokens,
                        OUTPUT_TOKENS)));
        if (!apiKey.isEmpty()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        AtomicReference<String> streamError = new AtomicReference<>();
        try {
            return client.sendAsync(builder.build(), info -> subscriber(info, streamError))
                    .handle((response, failure) -> {
                        if (failure != null) {
                            fail(String.valueOf(failure.getMessage()));
                        } else if (response.statusCode() != 200) {
                            fail("HTTP " + response.statusCode() + ": " + ErrorBodies.message(response.body()));
                        } else if (streamError.get() != null) {
                            fail("stream error: " + streamError.get());
                        }
                        return null;
                    });
        } catch (RuntimeException e) {
            fail(String.valueOf(e.getMessage()));
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A 200 answer's stream read line by line as the measured requests read theirs; another's body kept. */
    private static BodySubscriber<String> subscriber(HttpResponse.ResponseInfo info,
            AtomicReference<String> streamError) {
        if (info.statusCode() != 200) {
            return BodySubscribers.ofString(StandardCharsets.UTF_8);
        }
        return BodySubscribers.fromLineSubscriber(new Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                StreamChunk.parse(line).filter(chunk -> !chunk.error().isEmpty())
                        .ifPresent(chunk -> streamError.compareAndSet(null, chunk.error()));
            }

            @Override
            public void onError(Throwable failure) {
                // the exchange fails too, and is counted there
            }

            @Override
            public void onComplete() {
                // nothing to keep
            }
        }, lines -> "", StandardCharsets.UTF_8, null);
    }

    private void fail(String message) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, message);
    }
}
