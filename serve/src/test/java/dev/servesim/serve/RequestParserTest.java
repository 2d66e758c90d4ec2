package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.serve.GenerationRequest.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private static final ServedModel MODEL = new ServedModel("tiny", 100, 16, 0);
    private final Tokenizer tokenizer = new ApproximateTokenizer();
    private final RequestParser parser = new RequestParser(MODEL, tokenizer);

    private JsonNode body(String json) {
        return parser.object(json.getBytes(StandardCharsets.UTF_8));
    }

    private GenerationRequest completion(String json) {
        return parser.completion(body(json));
    }

    private GenerationRequest chat(String json) {
        return parser.chat(body(json));
    }

    private static ApiError refusal(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).as("refused").isInstanceOf(ApiError.class);
        return (ApiError) thrown;
    }

    @Test
    void completionsTakeEveryPromptShapeWithVllmDefaults() {
        GenerationRequest text = completion("{\"model\": \"tiny\", \"prompt\": \"Hello, world!\"}");
        assertThat(text.kind()).isEqualTo(Kind.COMPLETION);
        assertThat(text.promptTokens()).containsExactly(tokenizer.encode("Hello, world!"));
        assertThat(text.maxTokens()).isEqualTo(16);
        assertThat(text.stream()).isFalse();
        assertThat(completion("{\"prompt\": [\"Hello, world!\"]}").promptTokens())
                .containsExactly(tokenizer.encode("Hello, world!"));
        assertThat(completion("{\"prompt\": [1, 2, 3], \"max_tokens\": 4}").promptTokens()).containsExactly(1, 2, 3);
        assertThat(completion("{\"prompt\": [[5, 6]]}").promptTokens()).containsExactly(5, 6);
        GenerationRequest streamed = completion("{\"prompt\": \"x\", \"stream\": true, \"max_tokens\": 3.0, "
                + "\"stream_options\": {\"include_usage\": true}, \"temperature\": 0.7, \"top_p\": 0.9, "
                + "\"ignore_eos\": true, \"stop\": [\"\\n\"], \"seed\": 4, \"n\": 1, \"logprobs\": null, "
                + "\"anything_else\": {}}");
        assertThat(streamed.stream()).isTrue();
        assertThat(streamed.includeUsage()).isTrue();
        assertThat(streamed.maxTokens()).isEqualTo(3);
    }

    @Test
    void chatsGoThroughTheTemplateAndDefaultToWhatTheContextLeaves() {
        GenerationRequest request = chat("{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
                + "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\"}, "
                + "{\"type\": \"text\", \"text\": \"there\"}]}]}");
        int[] expected = tokenizer.encode("<|system|>\nBe brief.\n<|user|>\nHi\nthere\n<|assistant|>\n");
        assertThat(request.kind()).isEqualTo(Kind.CHAT);
        assertThat(request.promptTokens()).containsExactly(expected);
        assertThat(request.maxTokens()).isEqualTo(100 - expected.length);
        assertThat(chat("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 9}")
                .maxTokens()).isEqualTo(9);
        assertThat(chat("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 9, "
                + "\"max_completion_tokens\": 7}").maxTokens()).isEqualTo(7);
        assertThat(chat("{\"messages\": [{\"role\": \"assistant\", \"content\": null, \"tool_calls\": []}]}")
                .promptTokens()).containsExactly(tokenizer.encode("<|assistant|>\n\n<|assistant|>\n"));
    }

    @Test
    void malformedBodiesAreRefusedNamingTheField() {
        assertThat(refusal(() -> body("{\"prompt\": ")).getMessage()).startsWith("the body is not valid JSON");
        assertThat(refusal(() -> body("[1, 2]")).getMessage()).isEqualTo("the body must be a JSON object");
        assertThat(refusal(() -> body("")).getMessage()).isEqualTo("the body must be a JSON object");

        assertRefused(() -> completion("{}"), 400, "prompt", "'prompt' is required");
        assertRefused(() -> completion("{\"prompt\": \"\"}"), 400, "prompt", "The prompt cannot be empty.");
        assertRefused(() -> completion("{\"prompt\": []}"), 400, "prompt", "The prompt cannot be empty.");
        assertRefused(() -> completion("{\"prompt\": 5}"), 400, "prompt", "'prompt' must be a string");
        assertRefused(() -> completion("{\"prompt\": [\"a\", \"b\"]}"), 400, "prompt",
                "servesim serves one prompt per request, got 2");
        assertRefused(() -> completion("{\"prompt\": [1, -2]}"), 400, "prompt", "item 1 is -2");
        assertRefused(() -> completion("{\"prompt\": [1, 2.5]}"), 400, "prompt", "item 1 is 2.5");
        assertRefused(() -> completion("{\"prompt\": [1, 3000000000]}"), 400, "prompt", "item 1 is 3000000000");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"max_tokens\": 0}"), 400, "max_tokens",
                "'max_tokens' must be an integer of at least 1, got 0");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"max_tokens\": \"8\"}"), 400, "max_tokens", "got \"8\"");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"stream\": \"yes\"}"), 400, "stream",
                "'stream' must be a boolean");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"stream_options\": {\"include_usage\": true}}"), 400,
                "stream_options", "Stream options can only be defined when `stream=True`.");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"model\": 3}"), 400, "model", "'model' must be a string");
        assertRefused(() -> chat("{}"), 400, "messages", "'messages' is required");
        assertRefused(() -> chat("{\"messages\": []}"), 400, "messages", "non-empty list");
        assertRefused(() -> chat("{\"messages\": [\"hi\"]}"), 400, "messages", "messages[0] must be an object");
        assertRefused(() -> chat("{\"messages\": [{\"content\": \"hi\"}]}"), 400, "messages",
                "messages[0].role must be a non-empty string");
        assertRefused(() -> chat("{\"messages\": [{\"role\": \"user\", \"content\": 4}]}"), 400, "messages",
                "messages[0].content must be a string");
        assertRefused(() -> chat("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", "
                + "\"image_url\": {\"url\": \"x\"}}]}]}"), 400, "messages", "servesim serves text only");
    }

    @Test
    void whatServesimCannotHonourIsRefusedRatherThanAnsweredWrongly() {
        assertRefused(() -> completion("{\"prompt\": \"x\", \"n\": 2}"), 400, "n", "'n' must be 1");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"best_of\": 3}"), 400, "best_of", "'best_of' must be 1");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"echo\": true}"), 400, "echo", "not supported");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"suffix\": \"y\"}"), 400, "suffix", "not supported");
        assertRefused(() -> completion("{\"prompt\": \"x\", \"logprobs\": 0}"), 400, "logprobs", "not supported");
        assertRefused(() -> chat("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"logprobs\": true}"),
                400, "logprobs", "not supported");
        assertThat(chat("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"logprobs\": false}")
                .maxTokens()).isPositive();
    }

    @Test
    void anotherModelIsNotFound() {
        assertRefused(() -> completion("{\"model\": \"gpt-4\", \"prompt\": \"x\"}"), 404, "model",
                "The model `gpt-4` does not exist.");
        assertRefused(() -> parser.tokenize(body("{\"model\": \"gpt-4\", \"prompt\": \"x\"}")), 404, "model",
                "does not exist");
    }

    @Test
    void requestsOverTheContextAreRefusedWithVllmsMessages() {
        // 100 tokens of 4 characters: the whole context
        assertRefused(() -> completion("{\"prompt\": \"" + "abcd".repeat(100) + "\", \"max_tokens\": 1}"), 400,
                "prompt", "This model's maximum context length is 100 tokens. However, your request has 100 input "
                        + "tokens. Please reduce the length of the input prompt.");
        assertRefused(() -> completion("{\"prompt\": \"" + "abcd".repeat(90) + "\", \"max_tokens\": 11}"), 400,
                "max_tokens", "'max_tokens' or 'max_completion_tokens' is too large: 11. This model's maximum "
                        + "context length is 100 tokens and your request has 90 input tokens (11 > 100 - 90).");
        assertThat(completion("{\"prompt\": \"" + "abcd".repeat(90) + "\", \"max_tokens\": 10}").maxTokens())
                .isEqualTo(10);
        assertRefused(() -> chat("{\"messages\": [{\"role\": \"user\", \"content\": \"" + "abcd".repeat(100)
                + "\"}]}"), 400, "messages", "Please reduce the length of the input messages.");
    }

    @Test
    void tokenizeTakesAPromptOrMessagesAndDetokenizeTokenIds() {
        assertThat(parser.tokenize(body("{\"prompt\": \"Hello\"}"))).containsExactly(tokenizer.encode("Hello"));
        assertThat(parser.tokenize(body("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], "
                + "\"add_generation_prompt\": false}"))).containsExactly(tokenizer.encode("<|user|>\nHi\n"));
        assertThat(parser.detokenize(body("{\"tokens\": [1, 2]}"))).containsExactly(1, 2);
        assertRefused(() -> parser.tokenize(body("{}")), 400, "prompt", "'prompt' (a string) or 'messages'");
        assertRefused(() -> parser.detokenize(body("{\"tokens\": \"1 2\"}")), 400, "tokens", "'tokens'");
    }

    private static void assertRefused(Runnable call, int status, String param, String message) {
        ApiError error = refusal(call);
        assertThat(error.status()).as(error.getMessage()).isEqualTo(status);
        assertThat(error.getMessage()).contains(message);
        JsonNode body = error.body().path("error");
        assertThat(body.path("message").asText()).isEqualTo(error.getMessage());
        assertThat(body.path("param").asText()).isEqualTo(param);
        assertThat(body.path("code").asInt()).isEqualTo(status);
        assertThat(body.path("type").asText()).isEqualTo(status == 404 ? "NotFoundError" : "BadRequestError");
    }
}
