package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.serve.GenerationRequest.Kind;

/**
 * The bodies of one generation's answers, shaped as vLLM's (vllm/entrypoints/openai/protocol.py): a whole
 * completion or chat completion, and the chunks of a stream. {@code usage} holds the simulated counts: the prompt's
 * tokens, the output tokens generated, and the prompt tokens served from the prefix cache
 * ({@code prompt_tokens_details.cached_tokens}). Every finished choice ends for {@code length}: servesim generates
 * {@code max_tokens} tokens, as vLLM does with {@code ignore_eos}.
 *
 * @param kind the endpoint
 * @param id the response id ({@code cmpl-N}, {@code chatcmpl-N}; N the run's request id)
 * @param createdEpochSeconds wall-clock time the request came in
 * @param model the served model name
 * @param includeUsage whether stream chunks carry {@code usage} (null but in the last one)
 */
record OpenAiJson(Kind kind, String id, long createdEpochSeconds, String model, boolean includeUsage) {

    /** {@code finish_reason} of a request that got all its tokens. */
    static final String LENGTH = "length";
    /** {@code finish_reason} of a request the run stopped before it finished (vLLM's name for an aborted one). */
    static final String ABORT = "abort";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    OpenAiJson {
        requireNonNull(kind, "kind is null");
        requireNonNull(id, "id is null");
        requireNonNull(model, "model is null");
    }

    /** The whole answer of a request that ended with {@code record}, its output {@code text}. */
    ObjectNode whole(RequestRecord record, String text, String finishReason) {
        ObjectNode root = header(kind == Kind.CHAT ? "chat.completion" : "text_completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (kind == Kind.CHAT) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", text);
            message.putArray("tool_calls");
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        choice.putNull("stop_reason");
        root.set("usage", usage(record));
        return root;
    }

    /** The stream's first chunk of a chat: the assistant's role, no content yet. */
    ObjectNode roleChunk() {
        ObjectNode chunk = chunk();
        ObjectNode delta = delta(chunk, null);
        delta.put("role", "assistant");
        delta.put("content", "");
        return chunk;
    }

    /** A chunk with generated {@code text}. */
    ObjectNode textChunk(String text) {
        ObjectNode chunk = chunk();
        if (kind == Kind.CHAT) {
            delta(chunk, null).put("content", text);
        } else {
            completionChoice(chunk, text, null);
        }
        return chunk;
    }

    /** The chunk that ends the choice, with no more text. */
    ObjectNode finishChunk(String finishReason) {
        ObjectNode chunk = chunk();
        if (kind == Kind.CHAT) {
            delta(chunk, finishReason);
        } else {
            completionChoice(chunk, "", finishReason);
        }
        return chunk;
    }

    /** The last chunk when {@code include_usage}: no choices, the usage. */
    ObjectNode usageChunk(RequestRecord record) {
        ObjectNode chunk = header(chunkObject());
        chunk.putArray("choices");
        chunk.set("usage", usage(record));
        return chunk;
    }

    /** {@code usage} of a request that ended with {@code record}. */
    static ObjectNode usage(RequestRecord record) {
        int prompt = record.request().promptTokens();
        ObjectNode usage = NODES.objectNode();
        usage.put("prompt_tokens", prompt);
        usage.put("total_tokens", prompt + record.outputTokens());
        usage.put("completion_tokens", record.outputTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", record.cachedTokens());
        return usage;
    }

    private ObjectNode chunk() {
        ObjectNode chunk = header(chunkObject());
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private String chunkObject() {
        return kind == Kind.CHAT ? "chat.completion.chunk" : "text_completion";
    }

    private ObjectNode header(String object) {
        ObjectNode root = NODES.objectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", createdEpochSeconds);
        root.put("model", model);
        return root;
    }

    private static ObjectNode delta(ObjectNode chunk, String finishReason) {
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return delta;
    }

    private static void completionChoice(ObjectNode chunk, String text, String finishReason) {
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", text);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        choice.putNull("stop_reason");
    }
}
