package dev.servesim.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamChunkTest {

    @Test
    void aCompletionChunkWithTextIsOutput() {
        StreamChunk chunk = StreamChunk.parse("data: {\"id\":\"cmpl-1\",\"choices\":[{\"index\":0,\"text\":\" the\","
                + "\"finish_reason\":null}],\"usage\":null}").orElseThrow();

        assertThat(chunk.text()).isTrue();
        assertThat(chunk.done()).isFalse();
        assertThat(chunk.finishReason()).isEmpty();
        assertThat(chunk.completionTokens()).isEqualTo(-1);
        assertThat(chunk.cachedTokens()).isEqualTo(-1);
        assertThat(chunk.error()).isEmpty();
    }

    @Test
    void theUsageChunkCarriesTheCountsAndTheCachedTokens() {
        StreamChunk chunk = StreamChunk.parse("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":40,"
                + "\"completion_tokens\":5,\"total_tokens\":45,\"prompt_tokens_details\":{\"cached_tokens\":32}}}")
                .orElseThrow();

        assertThat(chunk.text()).isFalse();
        assertThat(chunk.promptTokens()).isEqualTo(40);
        assertThat(chunk.completionTokens()).isEqualTo(5);
        assertThat(chunk.cachedTokens()).isEqualTo(32);
    }

    @Test
    void aFinishChunkWithoutTextIsNoOutput() {
        StreamChunk chunk = StreamChunk.parse("data: {\"choices\":[{\"index\":0,\"text\":\"\","
                + "\"finish_reason\":\"length\"}]}").orElseThrow();

        assertThat(chunk.text()).isFalse();
        assertThat(chunk.finishReason()).isEqualTo("length");
    }

    @Test
    void chatDeltasCountAsText() {
        assertThat(StreamChunk.parse("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}").orElseThrow().text())
                .isTrue();
        assertThat(StreamChunk.parse("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}").orElseThrow()
                .text()).isFalse();
    }

    @Test
    void theEndMarkerErrorsAndOtherLines() {
        assertThat(StreamChunk.parse("data: [DONE]")).contains(StreamChunk.DONE);
        assertThat(StreamChunk.parse("")).isEmpty();
        assertThat(StreamChunk.parse(": keep-alive")).isEmpty();
        assertThat(StreamChunk.parse("event: message")).isEmpty();
        assertThat(StreamChunk.parse("data: {\"error\": {\"message\": \"engine\\ndied\", \"code\": 500}}")
                .orElseThrow().error()).isEqualTo("engine died");
        assertThat(StreamChunk.parse("data: {not json").orElseThrow().error()).isEqualTo("an event is not JSON: {not json");
    }

    @Test
    void errorBodiesOfTheCommonShapesGiveTheirMessage() {
        assertThat(ErrorBodies.message("{\"error\": {\"message\": \"too long\"}}")).isEqualTo("too long");
        assertThat(ErrorBodies.message("{\"object\": \"error\", \"message\": \"bad model\"}")).isEqualTo("bad model");
        assertThat(ErrorBodies.message("{\"detail\": \"Not Found\"}")).isEqualTo("Not Found");
        assertThat(ErrorBodies.message("Internal Server Error\n")).isEqualTo("Internal Server Error");
        assertThat(ErrorBodies.message("")).isEqualTo("(no message)");
        assertThat(ErrorBodies.message("x".repeat(500))).hasSize(203).endsWith("...");
    }
}
