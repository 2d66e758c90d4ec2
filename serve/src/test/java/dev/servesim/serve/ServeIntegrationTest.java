package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.runner.RunResult;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code servesim serve} end to end on the real engine: Llama-3.1-8B on an H100 at twenty times real time, driven
 * over HTTP. Answers must carry the simulated usage, which must equal the run's own records in requests.csv.
 */
class ServeIntegrationTest {

    private static final String MODEL = "llama-3.1-8b";
    // 800 characters: 200 tokens, twelve full 16-token blocks
    private static final String SHARED = "The quick brown fox jumps over the lazy dog. ".repeat(18).substring(0, 800);

    @Test
    void answersCarryTheSimulatedUsageThatTheRunRecords(@TempDir Path folder) throws Exception {
        Map<Long, JsonNode> usages = new LinkedHashMap<>();
        RunResult result;
        try (TestingServe serve = TestingServe.start(folder)) {
            HttpResponse<String> completion = serve.post("/v1/completions",
                    "{\"model\": \"" + MODEL + "\", \"prompt\": \"Hello, world!\", \"max_tokens\": 8}");
            assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
            assertThat(completion.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode body = TestingServe.json(completion);
            assertThat(body.path("object").asText()).isEqualTo("text_completion");
            assertThat(body.path("model").asText()).isEqualTo(MODEL);
            assertThat(body.path("id").asText()).startsWith("cmpl-");
            JsonNode choice = body.path("choices").get(0);
            assertThat(choice.path("text").asText()).isEqualTo(FillerText.of(0, 8));
            assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
            // "Hello, world!" is 13 ASCII characters: 4 tokens
            assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(4);
            assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(8);
            assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(12);
            usages.put(idOf(body), body.path("usage"));

            HttpResponse<String> chat = serve.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"system\", "
                    + "\"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 5}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            JsonNode chatBody = TestingServe.json(chat);
            assertThat(chatBody.path("object").asText()).isEqualTo("chat.completion");
            assertThat(chatBody.path("id").asText()).startsWith("chatcmpl-");
            JsonNode message = chatBody.path("choices").get(0).path("message");
            assertThat(message.path("role").asText()).isEqualTo("assistant");
            assertThat(message.path("content").asText()).isEqualTo(FillerText.of(0, 5));
            int chatPrompt = new ApproximateTokenizer().encode("<|system|>\nBe brief.\n<|user|>\nHi\n<|assistant|>\n")
                    .length;
            assertThat(chatBody.path("usage").path("prompt_tokens").asInt()).isEqualTo(chatPrompt);
            usages.put(idOf(chatBody), chatBody.path("usage"));

            // the same 200-token text twice, then with more after it: cached at block granularity
            JsonNode first = TestingServe.json(serve.post("/v1/completions",
                    "{\"prompt\": \"" + SHARED + "\", \"max_tokens\": 2}"));
            usages.put(idOf(first), first.path("usage"));
            assertThat(first.path("usage").path("prompt_tokens").asInt()).isEqualTo(200);
            assertThat(first.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
            JsonNode longer = TestingServe.json(serve.post("/v1/completions",
                    "{\"prompt\": \"" + SHARED + " And then some more words.\", \"max_tokens\": 2}"));
            usages.put(idOf(longer), longer.path("usage"));
            assertThat(longer.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt())
                    .isEqualTo(192);

            // the same prompt as token ids: the same blocks
            int[] ids = new ApproximateTokenizer().encode(SHARED);
            JsonNode asIds = TestingServe.json(serve.post("/v1/completions",
                    "{\"prompt\": " + Arrays.toString(ids) + ", \"max_tokens\": 2}"));
            usages.put(idOf(asIds), asIds.path("usage"));
            assertThat(asIds.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt())
                    .isEqualTo(192);

            serve.session.beginShutdown();
            HttpResponse<String> refused = serve.post("/v1/completions", "{\"prompt\": \"late\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(TestingServe.json(refused).path("error").path("type").asText())
                    .isEqualTo("ServiceUnavailableError");
            assertThat(serve.get("/health").statusCode()).isEqualTo(503);
            result = serve.session.awaitResult();
        }

        assertThat(result.summary().partial()).isFalse();
        assertThat(result.summary().requests().completed()).isEqualTo(usages.size());
        Map<Long, Map<String, String>> rows = requestsCsv(result.outputDirectory().resolve("requests.csv"));
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(usages.keySet());
        usages.forEach((id, usage) -> {
            Map<String, String> row = rows.get(id);
            assertThat(row.get("status")).isEqualTo("completed");
            assertThat(Integer.parseInt(row.get("prompt_tokens"))).isEqualTo(usage.path("prompt_tokens").asInt());
            assertThat(Integer.parseInt(row.get("output_tokens"))).isEqualTo(usage.path("completion_tokens").asInt());
            assertThat(Integer.parseInt(row.get("cached_tokens")))
                    .isEqualTo(usage.path("prompt_tokens_details").path("cached_tokens").asInt());
        });
        assertThat(result.outputDirectory().resolve("summary.json")).exists();
    }

    @Test
    void streamsServerSentEventsAsTokensAreGenerated(@TempDir Path folder) throws Exception {
        try (TestingServe serve = TestingServe.start(folder)) {
            HttpResponse<String> completion = serve.post("/v1/completions", "{\"prompt\": \"Stream me\", "
                    + "\"max_tokens\": 6, \"stream\": true, \"stream_options\": {\"include_usage\": true}}");
            assertThat(completion.statusCode()).isEqualTo(200);
            assertThat(completion.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/event-stream"));
            List<String> events = TestingServe.events(completion.body());
            assertThat(events).last().isEqualTo("[DONE]");
            StringBuilder text = new StringBuilder();
            List<String> data = events.subList(0, events.size() - 1);
            for (int i = 0; i < data.size() - 2; i++) {
                JsonNode chunk = TestingServe.json(data.get(i));
                assertThat(chunk.path("object").asText()).isEqualTo("text_completion");
                assertThat(chunk.path("choices").get(0).path("finish_reason").isNull()).isTrue();
                assertThat(chunk.has("usage") && chunk.path("usage").isNull()).isTrue();
                text.append(chunk.path("choices").get(0).path("text").asText());
            }
            assertThat(text.toString()).isEqualTo(FillerText.of(0, 6));
            JsonNode finish = TestingServe.json(data.get(data.size() - 2));
            assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
            JsonNode usage = TestingServe.json(data.get(data.size() - 1));
            assertThat(usage.path("choices")).isEmpty();
            assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(6);
            assertThat(usage.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);

            HttpResponse<String> chat = serve.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", "
                    + "\"content\": \"Hi\"}], \"max_completion_tokens\": 4, \"stream\": true}");
            assertThat(chat.statusCode()).isEqualTo(200);
            List<String> chatEvents = TestingServe.events(chat.body());
            assertThat(chatEvents).last().isEqualTo("[DONE]");
            JsonNode role = TestingServe.json(chatEvents.get(0));
            assertThat(role.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(role.path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
            StringBuilder content = new StringBuilder();
            for (String event : chatEvents.subList(1, chatEvents.size() - 2)) {
                JsonNode chunk = TestingServe.json(event);
                assertThat(chunk.has("usage")).isFalse();
                content.append(chunk.path("choices").get(0).path("delta").path("content").asText());
            }
            assertThat(content.toString()).isEqualTo(FillerText.of(0, 4));
            JsonNode chatFinish = TestingServe.json(chatEvents.get(chatEvents.size() - 2));
            assertThat(chatFinish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        }
    }

    @Test
    void servesModelsHealthTokenizeAndTheVllmMetricFamilies(@TempDir Path folder) throws Exception {
        try (TestingServe serve = TestingServe.start(folder)) {
            HttpResponse<String> health = serve.get("/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEmpty();
            JsonNode models = TestingServe.json(serve.get("/v1/models"));
            assertThat(models.path("data").get(0).path("id").asText()).isEqualTo(MODEL);
            assertThat(models.path("data").get(0).path("max_model_len").asInt()).isEqualTo(4096);

            JsonNode tokens = TestingServe.json(serve.post("/tokenize", "{\"prompt\": \"Hello, world!\"}"));
            assertThat(tokens.path("count").asInt()).isEqualTo(4);
            assertThat(tokens.path("max_model_len").asInt()).isEqualTo(4096);
            JsonNode text = TestingServe.json(serve.post("/detokenize", "{\"tokens\": " + tokens.path("tokens") + "}"));
            assertThat(text.path("prompt").asText()).isEqualTo("Hello, world!");

            assertThat(serve.post("/v1/completions", "{\"prompt\": \"count me\", \"max_tokens\": 3}").statusCode())
                    .isEqualTo(200);
            HttpResponse<String> metrics = serve.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/plain"));
            assertThat(metrics.body()).contains("vllm:num_requests_running{")
                    .containsPattern("vllm:generation_tokens_total\\{[^}]*model_name=\"" + MODEL + "\"[^}]*} 3");
        }
    }

    @Test
    void aPromptOverTheContextIsRefusedAsVllmRefusesIt(@TempDir Path folder) throws Exception {
        try (TestingServe serve = TestingServe.start(folder)) {
            // 4096 tokens of 4 characters: the whole context, nothing left to generate
            HttpResponse<String> tooLong = serve.post("/v1/completions", "{\"prompt\": \"" + "abcd".repeat(4096)
                    + "\"}");
            assertThat(tooLong.statusCode()).isEqualTo(400);
            assertThat(TestingServe.json(tooLong).path("error").path("message").asText())
                    .isEqualTo("This model's maximum context length is 4096 tokens. However, your request has 4096 "
                            + "input tokens. Please reduce the length of the input prompt.");
            // the chat default is what the context leaves
            HttpResponse<String> chat = serve.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", "
                    + "\"content\": \"" + "abcd".repeat(4080) + "\"}]}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            JsonNode usage = TestingServe.json(chat).path("usage");
            assertThat(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt()).isEqualTo(4096);
        }
    }

    @Test
    void aStreamPastItsTimeLimitEndsWithAnErrorEvent(@TempDir Path folder) throws Exception {
        // real time: 3000 tokens take the engine about 20 s, the client allows 1 s
        ServeOptions options = new ServeOptions("127.0.0.1", 0, 1, null, 8, ServeOptions.DEFAULT_MAX_BODY_BYTES, 1, 0);
        try (TestingServe serve = TestingServe.start(folder, TestingServe.CONFIG, options)) {
            HttpResponse<String> stream = serve.post("/v1/completions", "{\"prompt\": \"long\", \"max_tokens\": 3000, "
                    + "\"stream\": true}");
            assertThat(stream.statusCode()).isEqualTo(200);
            List<String> events = TestingServe.events(stream.body());
            assertThat(events).last().isEqualTo("[DONE]");
            assertThat(events.size()).isGreaterThan(2);
            JsonNode error = TestingServe.json(events.get(events.size() - 2)).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(504);
            assertThat(error.path("message").asText()).contains("did not finish within its time limit");
            assertThat(TestingServe.json(events.get(0)).path("choices").get(0).path("text").asText()).isNotEmpty();
            serve.session.beginShutdown();
            // no drain: the engine's request ends unfinished
            assertThat(serve.session.awaitResult().summary().requests().unfinished()).isEqualTo(1);
        }
    }

    @Test
    void whatTheDrainDoesNotFinishIsCutOff(@TempDir Path folder) throws Exception {
        ServeOptions options = new ServeOptions("127.0.0.1", 0, 1, null, 8, ServeOptions.DEFAULT_MAX_BODY_BYTES, 60,
                0.5);
        try (TestingServe serve = TestingServe.start(folder, TestingServe.CONFIG, options)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> whole = client.sendAsync(HttpRequest.newBuilder(
                    serve.base.resolve("/v1/completions")).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\": \"long\", \"max_tokens\": 3000}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(serve.base.resolve(
                    "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": "
                            + "\"user\", \"content\": \"long\"}], \"max_tokens\": 3000, \"stream\": true}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(),
                    StandardCharsets.UTF_8))) {
                // the stream has started: the first event (the role) is there
                assertThat(events.readLine()).startsWith("data: {");
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (serve.session.inFlight() < 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(serve.session.inFlight()).as("both requests in flight").isEqualTo(2);
                serve.session.beginShutdown();
                StringBuilder rest = new StringBuilder();
                for (String line = events.readLine(); line != null; line = events.readLine()) {
                    rest.append(line).append('\n');
                }
                List<String> tail = TestingServe.events(rest.toString().replaceFirst("^\n", ""));
                assertThat(tail).last().isEqualTo("[DONE]");
                assertThat(TestingServe.json(tail.get(tail.size() - 2)).path("choices").get(0).path("finish_reason")
                        .asText()).isEqualTo("abort");
            }
            HttpResponse<String> cut = whole.get();
            assertThat(cut.statusCode()).isEqualTo(503);
            assertThat(TestingServe.json(cut).path("error").path("message").asText())
                    .startsWith("servesim stopped before the request finished (").endsWith(" of 3000 tokens generated)");
            RunResult result = serve.session.awaitResult();
            assertThat(result.summary().requests().unfinished()).isEqualTo(2);
            assertThat(Files.readAllLines(result.outputDirectory().resolve("requests.csv"))).hasSize(3);
        }
    }

    @Test
    void aRequestTheEngineRejectsIsAnswered400WithItsReason(@TempDir Path folder) throws Exception {
        // 32 KV blocks of 16 tokens: a 1000-token prompt fits the context, not the cache
        String small = TestingServe.CONFIG.replace("max_model_len: 4096}", "max_model_len: 4096, num_gpu_blocks: 32}");
        try (TestingServe serve = TestingServe.start(folder, small, ServeOptions.defaults("127.0.0.1", 0, 20))) {
            String prompt = "abcd".repeat(1000);
            for (String stream : new String[] {"false", "true"}) {
                HttpResponse<String> rejected = serve.post("/v1/completions", "{\"prompt\": \"" + prompt
                        + "\", \"max_tokens\": 4, \"stream\": " + stream + "}");
                assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(400);
                JsonNode error = TestingServe.json(rejected).path("error");
                assertThat(error.path("type").asText()).isEqualTo("BadRequestError");
                assertThat(error.path("message").asText()).startsWith("request larger than the KV cache: it needs 63 "
                        + "KV blocks");
            }
            assertThat(serve.post("/v1/completions", "{\"prompt\": \"fits\", \"max_tokens\": 4}").statusCode())
                    .isEqualTo(200);
            serve.session.beginShutdown();
            assertThat(serve.session.awaitResult().summary().requests().rejected()).isEqualTo(2);
        }
    }

    private static long idOf(JsonNode body) {
        String id = body.path("id").asText();
        return Long.parseLong(id.substring(id.indexOf('-') + 1));
    }

    private static Map<Long, Map<String, String>> requestsCsv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.put(Long.parseLong(row.get("request_id")), row);
        }
        return rows;
    }
}
