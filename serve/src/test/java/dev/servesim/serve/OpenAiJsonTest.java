package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.serve.GenerationRequest.Kind;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shapes of answers and stream chunks, field by field, as vLLM's OpenAI server writes them. */
class OpenAiJsonTest {

    private static final RequestRecord RECORD = new RequestRecord(Request.single(7, 0.5, PromptContent.single(1, 40), 6),
            0, RequestStatus.COMPLETED, "", 0.5, 0.6, 0.7, 0.9, 6, 32, "HIT", 0, 0.01, 0.02);

    @Test
    void completionChunksCarryTextAndUsageOnlyWhereVllmPutsThem() throws Exception {
        OpenAiJson json = new OpenAiJson(Kind.COMPLETION, "cmpl-7", 1_700_000_000L, "tiny", true);
        JsonNode text = TestingServe.json(json.textChunk(" the and").toString());
        assertThat(text.toString()).isEqualTo("{\"id\":\"cmpl-7\",\"object\":\"text_completion\",\"created\":1700000000,"
                + "\"model\":\"tiny\",\"usage\":null,\"choices\":[{\"index\":0,\"text\":\" the and\",\"logprobs\":null,"
                + "\"finish_reason\":null,\"stop_reason\":null}]}");
        JsonNode finish = json.finishChunk(OpenAiJson.LENGTH);
        assertThat(finish.path("choices").get(0).path("text").asText()).isEmpty();
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        JsonNode usage = json.usageChunk(RECORD);
        assertThat(usage.toString()).isEqualTo("{\"id\":\"cmpl-7\",\"object\":\"text_completion\",\"created\":1700000000,"
                + "\"model\":\"tiny\",\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"total_tokens\":46,"
                + "\"completion_tokens\":6,\"prompt_tokens_details\":{\"cached_tokens\":32}}}");
        // without include_usage the chunks have no usage field at all
        assertThat(new OpenAiJson(Kind.COMPLETION, "cmpl-7", 1, "tiny", false).textChunk("x").has("usage")).isFalse();
    }

    @Test
    void chatChunksStartWithTheRoleAndCarryDeltas() {
        OpenAiJson json = new OpenAiJson(Kind.CHAT, "chatcmpl-7", 1_700_000_000L, "tiny", false);
        JsonNode role = json.roleChunk();
        assertThat(role.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(role.path("choices").get(0).path("delta").toString()).isEqualTo("{\"role\":\"assistant\","
                + "\"content\":\"\"}");
        assertThat(role.path("choices").get(0).path("finish_reason").isNull()).isTrue();
        assertThat(json.textChunk(" sea").path("choices").get(0).path("delta").toString())
                .isEqualTo("{\"content\":\" sea\"}");
        JsonNode finish = json.finishChunk(OpenAiJson.ABORT);
        assertThat(finish.path("choices").get(0).path("delta").toString()).isEqualTo("{}");
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("abort");
    }

    @Test
    void wholeAnswersHoldTheTextTheFinishReasonAndTheSimulatedUsage() {
        JsonNode chat = new OpenAiJson(Kind.CHAT, "chatcmpl-7", 5, "tiny", false).whole(RECORD, " a b",
                OpenAiJson.LENGTH);
        assertThat(chat.path("object").asText()).isEqualTo("chat.completion");
        assertThat(chat.path("choices").get(0).path("message").toString()).isEqualTo("{\"role\":\"assistant\","
                + "\"content\":\" a b\",\"tool_calls\":[]}");
        assertThat(chat.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(chat.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(32);
        JsonNode completion = new OpenAiJson(Kind.COMPLETION, "cmpl-7", 5, "tiny", false).whole(RECORD, " a b",
                OpenAiJson.LENGTH);
        assertThat(completion.path("object").asText()).isEqualTo("text_completion");
        assertThat(completion.path("choices").get(0).path("text").asText()).isEqualTo(" a b");
        assertThat(completion.path("usage").path("total_tokens").asInt()).isEqualTo(46);
    }

    @Test
    void fillerTextIsOneTokenPerWordAndTheSameEveryTime() {
        Tokenizer tokenizer = new ApproximateTokenizer();
        String text = FillerText.of(0, 100);
        assertThat(tokenizer.encode(text)).hasSize(100);
        assertThat(FillerText.of(0, 100)).isEqualTo(text);
        assertThat(FillerText.of(40, 10)).isEqualTo(text.substring(160, 200));
        assertThat(new TreeSet<>(List.of(text.substring(1).split(" ")))).hasSizeGreaterThan(30);
    }
}
