package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * One server-sent event of a streamed completion ({@code data: {...}} or {@code data: [DONE]}), as vLLM's OpenAI
 * server sends them (vllm/entrypoints/openai/protocol.py, {@code CompletionStreamResponse}).
 *
 * @param done the {@code [DONE]} marker that ends the stream
 * @param text whether a choice carries generated text (a chunk without text, such as the usage chunk or a finish
 *     chunk with empty text, is no output)
 * @param finishReason the choice's {@code finish_reason}, or empty
 * @param completionTokens {@code usage.completion_tokens} (output tokens so far), or -1 when the chunk has no usage
 * @param promptTokens {@code usage.prompt_tokens}, or -1
 * @param cachedTokens {@code usage.prompt_tokens_details.cached_tokens}, or -1 when not reported
 * @param error the message of an error event (vLLM sends {@code data: {"error": {...}}} when a stream fails), or
 *     empty
 */
record StreamChunk(boolean done, boolean text, String finishReason, int completionTokens, int promptTokens,
        int cachedTokens, String error) {

    static final StreamChunk DONE = new StreamChunk(true, false, "", -1, -1, -1, "");

    private static final String DATA = "data:";
    private static final ObjectMapper JSON = new ObjectMapper();

    StreamChunk {
        requireNonNull(finishReason, "finishReason is null");
        requireNonNull(error, "error is null");
    }

    /** The event of one line of the stream; empty for blank lines, comments and fields other than {@code data}. */
    static Optional<StreamChunk> parse(String line) {
        if (!line.startsWith(DATA)) {
            return Optional.empty();
        }
        String data = line.substring(DATA.length()).strip();
        if (data.equals("[DONE]")) {
            return Optional.of(DONE);
        }
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (JacksonException e) {
            return Optional.of(error("an event is not JSON: " + ErrorBodies.shortened(data)));
        }
        if (root == null || !root.isObject()) {
            return Optional.of(error("an event is not a JSON object: " + ErrorBodies.shortened(data)));
        }
        if (root.has("error")) {
            return Optional.of(error(ErrorBodies.message(root)));
        }
        boolean text = false;
        String finishReason = "";
        for (JsonNode choice : root.path("choices")) {
            // completions carry "text"; chat completions a "delta" with "content"
            JsonNode content = choice.has("text") ? choice.get("text") : choice.path("delta").path("content");
            text |= content.isTextual() && !content.asText().isEmpty();
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.get("finish_reason").asText();
            }
        }
        JsonNode usage = root.path("usage");
        JsonNode cached = usage.path("prompt_tokens_details").path("cached_tokens");
        return Optional.of(new StreamChunk(false, text, finishReason, count(usage.path("completion_tokens")),
                count(usage.path("prompt_tokens")), count(cached), ""));
    }

    private static StreamChunk error(String message) {
        return new StreamChunk(false, false, "", -1, -1, -1, message);
    }

    private static int count(JsonNode node) {
        return node.canConvertToInt() && node.isIntegralNumber() && node.asInt() >= 0 ? node.asInt() : -1;
    }
}
