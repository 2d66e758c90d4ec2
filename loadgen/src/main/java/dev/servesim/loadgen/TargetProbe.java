package dev.servesim.loadgen;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Short synchronous GETs to the target before and after the run: {@code /v1/models} (is the server there, which
 * model does it serve, its {@code max_model_len}) and {@code /metrics}.
 */
final class TargetProbe {

    /** A model the server lists; {@code maxModelLen} 0 when it does not say (vLLM does). */
    record ServedModel(String id, int maxModelLen) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient client;

    TargetProbe(String baseUrl, String apiKey, Duration timeout) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * The models of {@code GET /v1/models}, in the server's order.
     *
     * @throws ServesimException ({@code CONFIG}: the user's to fix) naming the target if it cannot be reached,
     *     answers with an error or lists no model
     */
    List<ServedModel> models() {
        String where = "--target " + baseUrl;
        HttpResponse<String> response;
        try {
            response = get("/v1/models");
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": " + unreachable(e));
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": GET /v1/models answered HTTP "
                    + response.statusCode() + " (" + ErrorBodies.message(response.body())
                    + "); give the API key with --api-key-env VARIABLE");
        }
        if (response.statusCode() != 200) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": GET /v1/models answered HTTP "
                    + response.statusCode() + ": " + ErrorBodies.message(response.body())
                    + "; is this an OpenAI-compatible server?");
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (JacksonException e) {
            root = null;
        }
        List<ServedModel> models = new ArrayList<>();
        if (root != null) {
            for (JsonNode model : root.path("data")) {
                JsonNode length = model.path("max_model_len");
                if (model.path("id").isTextual()) {
                    models.add(new ServedModel(model.get("id").asText(),
                            length.canConvertToInt() && length.asInt() > 0 ? length.asInt() : 0));
                }
            }
        }
        if (models.isEmpty()) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": GET /v1/models lists no model (expected "
                    + "{\"data\": [{\"id\": ...}]}, got " + ErrorBodies.shortened(response.body()) + ")");
        }
        return models;
    }

    /** The text of {@code GET /metrics}, or why there is none (a one-line note). */
    Metrics metrics() {
        try {
            HttpResponse<String> response = get("/metrics");
            if (response.statusCode() == 200) {
                return new Metrics(Optional.of(response.body()), "");
            }
            return new Metrics(Optional.empty(), "GET /metrics answered HTTP " + response.statusCode());
        } catch (IOException e) {
            return new Metrics(Optional.empty(), "GET /metrics failed: " + unreachable(e));
        }
    }

    /** A scrape of {@code /metrics}: its text, or why there is none. */
    record Metrics(Optional<String> text, String problem) {}

    private HttpResponse<String> get(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).GET();
        if (!apiKey.isEmpty()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String unreachable(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() / 1000.0 + " s";
        }
        if (e instanceof ConnectException) {
            return "cannot connect (" + (e.getMessage() == null ? "connection refused" : e.getMessage())
                    + "); is the server running?";
        }
        return "cannot reach it: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
