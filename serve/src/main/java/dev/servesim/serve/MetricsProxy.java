package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@code GET /metrics} on the API port, as vLLM serves it: fetched from the run's {@code prometheus} sink, which
 * serves the same families (vLLM's names included) on a loopback port of its own. The sink's URL is read from the
 * {@code prometheus.address} file it writes into the output folder when the run starts. The fetch is asynchronous
 * (no server thread waits), bounded by {@link #TIMEOUT}, and shared by the scrapes that arrive while another is
 * under way ({@link #fetch}). A replica's port serves its part of the same exposition ({@link ReplicaExposition}).
 */
final class MetricsProxy {

    /** The file the prometheus sink writes its URL to (metrics-prometheus's {@code PrometheusSink.ADDRESS_FILE}). */
    static final String ADDRESS_FILE = "prometheus.address";
    /** The Prometheus text format, asked of the sink. */
    static final String TEXT_FORMAT = "text/plain; version=0.0.4";
    /** Longest wait for the sink's answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Path addressFile;
    private final boolean sinkConfigured;
    private final HttpClient client;
    private final AtomicReference<URI> target = new AtomicReference<>();
    // guards fetching and next
    private final Object fetches = new Object();
    // whether a fetch is under way
    private boolean fetching;
    // the fetch that scrapes arriving during the current one wait for; it starts when the current one ends
    private CompletableFuture<Fetched> next;

    /**
     * @param outputDirectory the run's output folder
     * @param sinkConfigured whether the run has a prometheus sink; without one, {@code /metrics} answers 404
     */
    MetricsProxy(Path outputDirectory, boolean sinkConfigured) {
        this.addressFile = requireNonNull(outputDirectory, "outputDirectory is null").resolve(ADDRESS_FILE);
        this.sinkConfigured = sinkConfigured;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The sink's URL, once it has written it. */
    Optional<URI> target() {
        URI known = target.get();
        if (known != null || !sinkConfigured) {
            return Optional.ofNullable(known);
        }
        try {
            URI read = URI.create(Files.readString(addressFile, StandardCharsets.UTF_8).trim());
            target.compareAndSet(null, read);
            return Optional.of(read);
        } catch (IOException | IllegalArgumentException notYet) {
            return Optional.empty();
        }
    }

    /** Answers {@code exchange} with the sink's exposition. */
    void forward(Exchange exchange) {
        forward(exchange, fetched -> fetched.response.body());
    }

    /**
     * Answers {@code exchange} with the families of replica {@code replica} as its own vLLM server would expose them
     * ({@link ReplicaExposition}), its model named {@code modelName}.
     */
    void forward(Exchange exchange, int replica, String modelName) {
        forward(exchange, fetched -> fetched.replicas().replica(replica, modelName));
    }

    /** @param body what the answer holds of a successful fetch */
    private void forward(Exchange exchange, Function<Fetched, String> body) {
        if (!sinkConfigured) {
            exchange.error(new ApiError(404, "no metrics: the run has no prometheus sink (the metrics-prometheus "
                    + "plugin is not installed)", null));
            return;
        }
        Optional<URI> url = target();
        if (url.isEmpty()) {
            exchange.error(new ApiError(503, "the metrics are not served yet: the run is starting", null));
            return;
        }
        fetch(url.get()).whenComplete((fetched, failure) -> {
            if (failure != null) {
                exchange.error(new ApiError(503, "the metrics cannot be fetched from the run's prometheus sink: "
                        + failure.getMessage(), null));
            } else if (exchange.claim()) {
                HttpResponse<String> response = fetched.response;
                exchange.send(response.statusCode(), response.headers().firstValue("Content-Type")
                        .orElse("text/plain; charset=utf-8"), response.statusCode() == 200 ? body.apply(fetched)
                        : response.body());
            }
        });
    }

    /**
     * The sink's answer, fetched after this call: scrapes that arrive while a fetch is under way share the next one
     * (the sink renders the whole run, about 40 KB and a millisecond of CPU per replica, for every fetch), so a burst
     * of scrapes of many replica ports costs two fetches and one reading ({@link ReplicaExposition#split}), and no
     * answer is older than its scrape.
     */
    private CompletableFuture<Fetched> fetch(URI url) {
        synchronized (fetches) {
            if (fetching) {
                if (next == null) {
                    next = new CompletableFuture<>();
                }
                return next;
            }
            fetching = true;
        }
        return start(url);
    }

    private CompletableFuture<Fetched> start(URI url) {
        // the text format, which ReplicaExposition reads
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", TEXT_FORMAT).GET()
                .build();
        CompletableFuture<Fetched> answer = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(Fetched::new);
        answer.whenComplete((response, failure) -> {
            CompletableFuture<Fetched> waiting;
            synchronized (fetches) {
                waiting = next;
                next = null;
                fetching = waiting != null;
            }
            if (waiting != null) {
                start(url).whenComplete((nextResponse, nextFailure) -> {
                    if (nextFailure != null) {
                        waiting.completeExceptionally(nextFailure);
                    } else {
                        waiting.complete(nextResponse);
                    }
                });
            }
        });
        return answer;
    }

    /** One answer of the sink, shared by the scrapes that waited for it; read into replicas' parts once. */
    private static final class Fetched {
        final HttpResponse<String> response;
        private ReplicaExposition replicas;

        Fetched(HttpResponse<String> response) {
            this.response = response;
        }

        synchronized ReplicaExposition replicas() {
            if (replicas == null) {
                replicas = ReplicaExposition.split(response.body());
            }
            return replicas;
        }
    }
}
