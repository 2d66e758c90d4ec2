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
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /metrics} on the API port, as vLLM serves it: fetched from the run's {@code prometheus} sink, which
 * serves the same families (vLLM's names included) on a loopback port of its own. The sink's URL is read from the
 * {@code prometheus.address} file it writes into the output folder when the run starts. The fetch is asynchronous
 * (no server thread waits) and bounded by {@link #TIMEOUT}.
 */
final class MetricsProxy {

    /** The file the prometheus sink writes its URL to (metrics-prometheus's {@code PrometheusSink.ADDRESS_FILE}). */
    static final String ADDRESS_FILE = "prometheus.address";
    /** Longest wait for the sink's answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Path addressFile;
    private final boolean sinkConfigured;
    private final HttpClient client;
    private final AtomicReference<URI> target = new AtomicReference<>();

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
        HttpRequest request = HttpRequest.newBuilder(url.get()).timeout(TIMEOUT).GET().build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        exchange.error(new ApiError(503, "the metrics cannot be fetched from the run's prometheus "
                                + "sink: " + failure.getMessage(), null));
                    } else if (exchange.claim()) {
                        exchange.send(response.statusCode(), response.headers().firstValue("Content-Type")
                                .orElse("text/plain; charset=utf-8"), response.body());
                    }
                });
    }
}
