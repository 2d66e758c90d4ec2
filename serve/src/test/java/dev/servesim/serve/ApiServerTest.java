package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The server's routes and refusals, each answered with vLLM's error JSON and the right status. */
class ApiServerTest {

    @Test
    void healthModelsAndTokenizeAnswerWithoutTheEngine() throws Exception {
        try (TestingApi api = TestingApi.start(8, 30, 5)) {
            HttpResponse<String> health = api.get("/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEmpty();
            JsonNode models = TestingServe.json(api.get("/v1/models"));
            assertThat(models.path("object").asText()).isEqualTo("list");
            JsonNode card = models.path("data").get(0);
            assertThat(card.path("id").asText()).isEqualTo("tiny");
            assertThat(card.path("object").asText()).isEqualTo("model");
            assertThat(card.path("created").asLong()).isEqualTo(1_700_000_000L);
            assertThat(card.path("max_model_len").asInt()).isEqualTo(4096);
            JsonNode tokens = TestingServe.json(api.post("/tokenize", "{\"model\": \"tiny\", \"prompt\": \"abcdefgh\"}"));
            assertThat(tokens.path("count").asInt()).isEqualTo(2);
            assertThat(TestingServe.json(api.post("/detokenize", "{\"tokens\": " + tokens.path("tokens") + "}"))
                    .path("prompt").asText()).isEqualTo("abcdefgh");
        }
    }

    @Test
    void unknownPathsAndWrongMethodsAreRefusedAsJson() throws Exception {
        try (TestingApi api = TestingApi.start(8, 30, 5)) {
            for (String path : new String[] {"/", "/v1", "/v1/embeddings", "/v1/completions/", "/health/x"}) {
                assertError(api.get(path), 404, "NotFoundError", "Not Found: servesim serves POST /v1/completions");
            }
            HttpResponse<String> get = api.get("/v1/completions");
            assertError(get, 405, "MethodNotAllowedError", "use POST for /v1/completions");
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
            HttpResponse<String> post = api.post("/v1/models", "{}");
            assertError(post, 405, "MethodNotAllowedError", "use GET for /v1/models");
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertError(api.send(api.request("/health").DELETE().build()), 405, "MethodNotAllowedError", "GET");
            assertError(api.get("/metrics"), 404, "NotFoundError", "the run has no prometheus sink");
        }
    }

    @Test
    void badBodiesAndUnknownModelsAreRefusedNamingTheField() throws Exception {
        try (TestingApi api = TestingApi.start(8, 30, 5)) {
            assertError(api.post("/v1/completions", "{\"prompt\": "), 400, "BadRequestError",
                    "the body is not valid JSON");
            assertError(api.post("/v1/chat/completions", "{\"messages\": 3}"), 400, "BadRequestError",
                    "'messages' must be a non-empty list");
            HttpResponse<String> model = api.post("/v1/completions", "{\"model\": \"other\", \"prompt\": \"x\"}");
            assertError(model, 404, "NotFoundError", "The model `other` does not exist.");
            assertThat(TestingServe.json(model).path("error").path("param").asText()).isEqualTo("model");
            // a refusal frees the request's place: more requests than the limit, one after the other
            for (int i = 0; i < 20; i++) {
                assertThat(api.post("/v1/completions", "{\"n\": 2, \"prompt\": \"x\"}").statusCode()).isEqualTo(400);
            }
            assertThat(api.awaitNoneInFlight()).as("requests in flight").isZero();
        }
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        try (TestingApi api = TestingApi.start(8, 30, 5)) {
            String big = "{\"prompt\": \"" + "a".repeat(64 * 1024) + "\"}";
            HttpResponse<String> announced = api.post("/v1/completions", big);
            assertError(announced, 413, "RequestEntityTooLargeError", "larger than servesim takes (65536 bytes)");
            // a chunked body, with no length announced, is cut off once it passes the limit
            HttpResponse<String> chunked = api.send(api.request("/v1/completions").POST(HttpRequest.BodyPublishers
                    .ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build());
            assertError(chunked, 413, "RequestEntityTooLargeError", "65536 bytes");
            assertThat(api.post("/v1/completions", "{\"n\": 3, \"prompt\": \"fits\"}").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void moreRequestsThanTheLimitAre429AndAGenerationPastItsTimeIs504() throws Exception {
        try (TestingApi api = TestingApi.start(2, 2, 5)) {
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            waiting.add(async(api, "{\"prompt\": \"first\"}"));
            waiting.add(async(api, "{\"prompt\": \"second\", \"stream\": true}"));
            // both are handed to the run, which nobody runs here
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (api.arrivals.inFlight() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(api.arrivals.inFlight()).isEqualTo(2);

            assertError(api.post("/v1/completions", "{\"prompt\": \"third\"}"), 429, "RateLimitError",
                    "servesim serves at most 2 at once");
            assertError(api.post("/tokenize", "{\"prompt\": \"third\"}"), 429, "RateLimitError", "at most 2");
            // requests without a body are not counted
            assertThat(api.get("/health").statusCode()).isEqualTo(200);

            for (CompletableFuture<HttpResponse<String>> answer : waiting) {
                // a stream that has not started yet is answered as a whole too
                assertError(answer.get(), 504, "TimeoutError", "did not finish within its time limit");
            }
            // the engine still has them: their places stay taken until it is done with them
            assertThat(api.handler.inFlight()).isEqualTo(2);
            assertThat(api.post("/v1/completions", "{\"prompt\": \"fourth\"}").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void afterTheShutdownSignalWorkIs503AndHealthToo() throws Exception {
        try (TestingApi api = TestingApi.start(8, 30, 5)) {
            api.handler.beginShutdown();
            assertError(api.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}"),
                    503, "ServiceUnavailableError", "servesim is shutting down");
            assertError(api.get("/health"), 503, "ServiceUnavailableError", "shutting down");
            assertThat(api.get("/v1/models").statusCode()).isEqualTo(200);
            // the arrivals closed by another path (the run failed) also answer 503
        }
        try (TestingApi api = TestingApi.start(8, 30, 5)) {
            api.arrivals.close(0);
            assertError(api.post("/v1/completions", "{\"prompt\": \"x\"}"), 503, "ServiceUnavailableError",
                    "shutting down");
            assertThat(api.awaitNoneInFlight()).as("requests in flight").isZero();
        }
    }

    private static CompletableFuture<HttpResponse<String>> async(TestingApi api, String body) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(api.request("/v1/completions").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> response, int status, String type, String message)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = TestingServe.json(response).path("error");
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("code").asInt()).isEqualTo(status);
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("message").asText()).contains(message).doesNotContain("Exception", "\tat ");
    }
}
