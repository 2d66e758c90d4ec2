package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.serve.GenerationRequest.Kind;
import java.io.IOException;

/**
 * Request bodies to checked requests, with vLLM's defaults and messages. Fields the simulation has no use for
 * (sampling: {@code temperature}, {@code top_p}, {@code seed}, {@code stop}, ...; {@code ignore_eos}, {@code user},
 * tools) are accepted and ignored, as unknown fields are. What it cannot honour ({@code n} above 1, {@code echo},
 * log probabilities, {@code suffix}, several prompts) is refused instead of answered wrongly. Thread-safe.
 */
final class RequestParser {

    /** vLLM's {@code max_tokens} default of completions. */
    static final int DEFAULT_COMPLETION_MAX_TOKENS = 16;

    private final ObjectMapper json = new ObjectMapper();
    private final ServedModel model;
    private final Tokenizer tokenizer;

    RequestParser(ServedModel model, Tokenizer tokenizer) {
        this.model = requireNonNull(model, "model is null");
        this.tokenizer = requireNonNull(tokenizer, "tokenizer is null");
    }

    /** The JSON object of a body; 400 if it is not one. */
    JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiError.badRequest("the body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiError.badRequest("the body cannot be read: " + e.getMessage(), null);
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object", null);
        }
        return root;
    }

    /** {@code POST /v1/completions}. */
    GenerationRequest completion(JsonNode body) {
        checkModel(body);
        refuseUnsupported(body, false);
        int[] prompt = prompt(body.path("prompt"));
        int maxTokens = optionalPositiveInt(body, "max_tokens", DEFAULT_COMPLETION_MAX_TOKENS);
        return checked(Kind.COMPLETION, prompt, maxTokens, body, "prompt");
    }

    /** {@code POST /v1/chat/completions}. */
    GenerationRequest chat(JsonNode body) {
        checkModel(body);
        refuseUnsupported(body, true);
        int[] prompt = tokenizer.encode(ChatTemplate.render(body.get("messages"), true));
        // as vLLM: max_completion_tokens, else the deprecated max_tokens, else what the context leaves
        int leftInContext = model.maxModelLen() > 0 ? model.maxModelLen() - prompt.length
                : DEFAULT_COMPLETION_MAX_TOKENS;
        int maxTokens = optionalPositiveInt(body, "max_completion_tokens",
                optionalPositiveInt(body, "max_tokens", Math.max(leftInContext, 1)));
        return checked(Kind.CHAT, prompt, maxTokens, body, "messages");
    }

    /** {@code POST /tokenize}: the prompt ({@code prompt}) or the chat ({@code messages}) as token ids. */
    int[] tokenize(JsonNode body) {
        checkModel(body);
        if (body.hasNonNull("messages")) {
            JsonNode addGenerationPrompt = body.path("add_generation_prompt");
            if (!addGenerationPrompt.isMissingNode() && !addGenerationPrompt.isNull()
                    && !addGenerationPrompt.isBoolean()) {
                throw ApiError.badRequest("'add_generation_prompt' must be a boolean", "add_generation_prompt");
            }
            return tokenizer.encode(ChatTemplate.render(body.get("messages"), addGenerationPrompt.asBoolean(true)));
        }
        JsonNode prompt = body.path("prompt");
        if (!prompt.isTextual()) {
            throw ApiError.badRequest("'prompt' (a string) or 'messages' is required", "prompt");
        }
        return tokenizer.encode(prompt.asText());
    }

    /** {@code POST /detokenize}: the token ids of {@code tokens}. */
    int[] detokenize(JsonNode body) {
        checkModel(body);
        JsonNode tokens = body.path("tokens");
        if (!tokens.isArray()) {
            throw ApiError.badRequest("'tokens' (a list of token ids) is required", "tokens");
        }
        return tokenIds(tokens, "tokens");
    }

    private GenerationRequest checked(Kind kind, int[] prompt, int maxTokens, JsonNode body, String promptParam) {
        // as vLLM's OpenAIServing._validate_input
        int limit = model.maxModelLen();
        if (limit > 0 && prompt.length >= limit) {
            throw ApiError.badRequest("This model's maximum context length is " + limit + " tokens. However, your "
                    + "request has " + prompt.length + " input tokens. Please reduce the length of the input "
                    + (kind == Kind.CHAT ? "messages." : "prompt."), promptParam);
        }
        if (limit > 0 && (long) prompt.length + maxTokens > limit) {
            throw ApiError.badRequest("'max_tokens' or 'max_completion_tokens' is too large: " + maxTokens + ". This "
                    + "model's maximum context length is " + limit + " tokens and your request has " + prompt.length
                    + " input tokens (" + maxTokens + " > " + limit + " - " + prompt.length + ").", "max_tokens");
        }
        boolean stream = optionalBoolean(body, "stream", false);
        JsonNode options = body.path("stream_options");
        boolean includeUsage = false;
        if (!options.isMissingNode() && !options.isNull()) {
            if (!stream) {
                throw ApiError.badRequest("Stream options can only be defined when `stream=True`.", "stream_options");
            }
            if (!options.isObject()) {
                throw ApiError.badRequest("'stream_options' must be an object", "stream_options");
            }
            includeUsage = optionalBoolean(options, "include_usage", false);
        }
        return new GenerationRequest(kind, prompt, maxTokens, stream, includeUsage);
    }

    private void checkModel(JsonNode body) {
        JsonNode name = body.path("model");
        if (name.isMissingNode() || name.isNull()) {
            return;
        }
        if (!name.isTextual()) {
            throw ApiError.badRequest("'model' must be a string", "model");
        }
        if (!name.asText().equals(model.name())) {
            throw new ApiError(404, "The model `" + name.asText() + "` does not exist.", "model");
        }
    }

    private static void refuseUnsupported(JsonNode body, boolean chat) {
        if (optionalPositiveInt(body, "n", 1) != 1) {
            throw ApiError.badRequest("servesim generates one choice per request: 'n' must be 1", "n");
        }
        if (!chat && optionalPositiveInt(body, "best_of", 1) != 1) {
            throw ApiError.badRequest("servesim generates one choice per request: 'best_of' must be 1", "best_of");
        }
        if (!chat && optionalBoolean(body, "echo", false)) {
            throw ApiError.badRequest("'echo' is not supported by servesim", "echo");
        }
        if (!chat && body.hasNonNull("suffix")) {
            throw ApiError.badRequest("'suffix' is not supported by servesim", "suffix");
        }
        JsonNode logprobs = body.path("logprobs");
        if (chat ? logprobs.asBoolean(false) : !logprobs.isMissingNode() && !logprobs.isNull()) {
            throw ApiError.badRequest("log probabilities are not supported by servesim", "logprobs");
        }
    }

    /** A string, a list of one string, a list of token ids, or a list of one list of token ids. */
    private int[] prompt(JsonNode prompt) {
        if (prompt.isMissingNode() || prompt.isNull()) {
            throw ApiError.badRequest("'prompt' is required", "prompt");
        }
        if (prompt.isArray() && prompt.size() == 1 && (prompt.get(0).isTextual() || prompt.get(0).isArray())) {
            return prompt(prompt.get(0));
        }
        int[] tokens;
        if (prompt.isTextual()) {
            tokens = tokenizer.encode(prompt.asText());
        } else if (prompt.isArray() && prompt.size() > 1 && (prompt.get(0).isTextual() || prompt.get(0).isArray())) {
            throw ApiError.badRequest("servesim serves one prompt per request, got " + prompt.size(), "prompt");
        } else if (prompt.isArray()) {
            tokens = tokenIds(prompt, "prompt");
        } else {
            throw ApiError.badRequest("'prompt' must be a string, a list of token ids, or a list of one of these",
                    "prompt");
        }
        if (tokens.length == 0) {
            throw ApiError.badRequest("The prompt cannot be empty.", "prompt");
        }
        return tokens;
    }

    private static int[] tokenIds(JsonNode list, String param) {
        int[] tokens = new int[list.size()];
        for (int i = 0; i < tokens.length; i++) {
            JsonNode id = list.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
                throw ApiError.badRequest("'" + param + "' must be a list of token ids (integers from 0 to "
                        + Integer.MAX_VALUE + "); item " + i + " is " + abbreviated(id), param);
            }
            tokens[i] = id.asInt();
        }
        return tokens;
    }

    private static int optionalPositiveInt(JsonNode body, String field, int orElse) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return orElse;
        }
        boolean integral = value.isIntegralNumber()
                || (value.isFloatingPointNumber() && value.canConvertToExactIntegral());
        if (!integral || !value.canConvertToInt() || value.asInt() < 1) {
            throw ApiError.badRequest("'" + field + "' must be an integer of at least 1, got " + abbreviated(value),
                    field);
        }
        return value.asInt();
    }

    private static boolean optionalBoolean(JsonNode body, String field, boolean orElse) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return orElse;
        }
        if (!value.isBoolean()) {
            throw ApiError.badRequest("'" + field + "' must be a boolean, got " + abbreviated(value), field);
        }
        return value.asBoolean();
    }

    private static String abbreviated(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
