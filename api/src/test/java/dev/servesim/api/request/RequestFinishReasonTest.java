package dev.servesim.api.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestFinishReasonTest {

    private static final PromptContent PROMPT = PromptContent.single(7, 100);

    @Test
    void theOldEightArgumentConstructorSetsTheLimitToTheOutputLength() {
        Request old = new Request(3, 1, 2, 0.5, PROMPT, 40, 1, "chat");
        assertThat(old.maxTokens()).isEqualTo(40);
        assertThat(old.stopsBeforeLimit()).isFalse();
        assertThat(old).isEqualTo(new Request(3, 1, 2, 0.5, PROMPT, 40, 1, "chat", 40));
        Request single = Request.single(4, 1.0, PROMPT, 25);
        assertThat(single.maxTokens()).isEqualTo(25);
        assertThat(single.sessionId()).isEqualTo(4);
    }

    @Test
    void aLimitBelowTheOutputLengthIsRefused() {
        assertThatThrownBy(() -> new Request(0, 0, 1, 0, PROMPT, 40, 0, "", 39))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTokens must be at least maxOutputTokens (40), got 39");
    }

    @Test
    void aCompletedRequestStopsIfItEndedBeforeTheLimitAndIsLengthCappedOtherwise() {
        Request stops = new Request(0, 0, 1, 0, PROMPT, 30, 0, "", 100);
        assertThat(stops.stopsBeforeLimit()).isTrue();
        assertThat(record(stops, RequestStatus.COMPLETED, 30).finishReason()).isEqualTo(RequestRecord.STOP);
        // cut by the context limit before its EOS
        assertThat(record(stops, RequestStatus.COMPLETED, 20).finishReason()).isEqualTo(RequestRecord.LENGTH);
        Request capped = new Request(1, 1, 1, 0, PROMPT, 100, 0, "", 100);
        assertThat(record(capped, RequestStatus.COMPLETED, 100).finishReason()).isEqualTo("length");
        assertThat(record(Request.single(2, 0, PROMPT, 8), RequestStatus.COMPLETED, 8).finishReason())
                .isEqualTo("length");
    }

    @Test
    void aRequestThatDidNotCompleteHasNoFinishReason() {
        Request stops = new Request(0, 0, 1, 0, PROMPT, 30, 0, "", 100);
        assertThat(record(stops, RequestStatus.REJECTED, 0).finishReason()).isEmpty();
        assertThat(record(stops, RequestStatus.UNFINISHED, 12).finishReason()).isEmpty();
    }

    private static RequestRecord record(Request request, RequestStatus status, int outputTokens) {
        return new RequestRecord(request, 0, status, "", 0, 0, 0.1, 1, outputTokens, 0, "", 0, 0.01, 0.02);
    }
}
