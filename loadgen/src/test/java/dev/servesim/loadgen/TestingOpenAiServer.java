package dev.servesim.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A scripted OpenAI-compatible endpoint on 127.0.0.1 (an ephemeral port): {@code GET /v1/models}, a streamed
 * {@code POST /v1/completions} shaped as vLLM's (a chunk per {@link #tokensPerChunk} tokens, a usage chunk with the
 * cached tokens of a block-granular prefix cache over earlier prompts, {@code [DONE]}), and {@code GET /metrics} with
 * a counter of completions and a gauge. It answers at once: the tests check what is recorded, not latencies.
 */
final class TestingOpenAiServer implements AutoCloseable {

    /** How completions are answered. */
    enum Answer { STREAM, BAD_REQUEST, HANG, CUT }

    static final String MODEL = "fake-model";
    static final int MAX_MODEL_LEN = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<JsonNode> completions = new ArrayList<>();
    private final List<int[]> prompts = new ArrayList<>();
    private volatile Answer answer = Answer.STREAM;
    private volatile int tokensPerChunk = 1;
    private volatile boolean metrics = true;
    private long answered;

    TestingOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/models", this::models);
        server.createContext("/v1/completions", this::completion);
        server.createContext("/metrics", this::metrics);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void answer(Answer how) {
        answer = how;
    }

    /** Tokens per streamed chunk; above 1, every chunk carries usage (vLLM's {@code continuous_usage_stats}). */
    void tokensPerChunk(int tokens) {
        tokensPerChunk = tokens;
    }

    void withoutMetrics() {
        metrics = false;
    }

    /** The completion requests received, in order. */
    synchronized List<JsonNode> completions() {
        return List.copyOf(completions);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void models(HttpExchange exchange) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        root.putArray("data").addObject().put("id", MODEL).put("object", "model").put("max_model_len", MAX_MODEL_LEN);
        send(exchange, 200, "application/json", root.toString());
    }

    private void metrics(HttpExchange exchange) throws IOException {
        if (!metrics) {
            send(exchange, 404, "text/plain", "not found");
            return;
        }
        long count;
        synchronized (this) {
            count = answered;
        }
        send(exchange, 200, "text/plain; version=0.0.4", "# HELP fake:requests_total Completions answered.\n"
                + "# TYPE fake:requests_total counter\n"
                + "fake:requests_total{model_name=\"" + MODEL + "\"} " + count + ".0\n"
                + "# TYPE fake:running gauge\nfake:running 3.0\n");
    }

    private void completion(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        int[] prompt = new int[body.path("prompt").size()];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = body.path("prompt").get(i).asInt();
        }
        int cached;
        synchronized (this) {
            completions.add(body);
            cached = cachedTokens(prompt);
            prompts.add(prompt);
        }
        switch (answer) {
            case BAD_REQUEST -> send(exchange, 400, "application/json",
                    "{\"object\": \"error\", \"error\": {\"message\": \"the prompt is\\nnot welcome\", \"code\": 400}}");
            case HANG -> hang(exchange);
            case STREAM, CUT -> stream(exchange, body, prompt.length, cached);
        }
    }

    private void stream(HttpExchange exchange, JsonNode body, int promptTokens, int cached) throws IOException {
        int maxTokens = body.path("max_tokens").asInt();
        int perChunk = tokensPerChunk;
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            int sent = 0;
            while (sent < maxTokens) {
                int count = Math.min(perChunk, maxTokens - sent);
                sent += count;
                ObjectNode chunk = JSON.createObjectNode().put("id", "cmpl-1").put("object", "text_completion");
                ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0)
                        .put("text", " word".repeat(count));
                if (sent == maxTokens) {
                    choice.put("finish_reason", "length");
                } else {
                    choice.putNull("finish_reason");
                }
                if (perChunk > 1) {
                    chunk.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", sent);
                } else {
                    chunk.putNull("usage");
                }
                event(out, chunk.toString());
                if (answer == Answer.CUT) {
                    return;
                }
            }
            ObjectNode usage = JSON.createObjectNode().put("id", "cmpl-1");
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", maxTokens)
                    .put("total_tokens", promptTokens + maxTokens).putObject("prompt_tokens_details")
                    .put("cached_tokens", cached);
            event(out, usage.toString());
            event(out, "[DONE]");
        }
        synchronized (this) {
            answered++;
        }
    }

    private void hang(HttpExchange exchange) throws IOException {
        try {
            released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    /** vLLM's prefix cache: the longest prefix of full 16-token blocks seen before, never the whole prompt. */
    private int cachedTokens(int[] prompt) {
        int best = 0;
        for (int[] earlier : prompts) {
            int common = 0;
            while (common < Math.min(earlier.length, prompt.length) && earlier[common] == prompt[common]) {
                common++;
            }
            best = Math.max(best, Math.min(common, prompt.length - 1) / 16 * 16);
        }
        return best;
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
