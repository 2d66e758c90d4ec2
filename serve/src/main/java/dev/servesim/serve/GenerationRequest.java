package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

/**
 * One generation request, parsed and checked, ready for the engine.
 *
 * @param kind which endpoint it came to, which shapes the answer
 * @param promptTokens the prompt's token ids, at least one (owned by this record: not modified after parsing)
 * @param maxTokens output tokens to generate, at least 1: the engine generates exactly this many, as vLLM does with
 *     {@code ignore_eos}
 * @param stream answer with server-sent events as tokens are generated
 * @param includeUsage {@code stream_options.include_usage}: a last event with the usage
 */
record GenerationRequest(Kind kind, int[] promptTokens, int maxTokens, boolean stream, boolean includeUsage) {

    /** The endpoint a request came to. */
    enum Kind {
        /** {@code POST /v1/completions}: objects {@code text_completion}, ids {@code cmpl-}. */
        COMPLETION("cmpl-"),
        /** {@code POST /v1/chat/completions}: objects {@code chat.completion(.chunk)}, ids {@code chatcmpl-}. */
        CHAT("chatcmpl-");

        private final String idPrefix;

        Kind(String idPrefix) {
            this.idPrefix = idPrefix;
        }

        /** The response id of the run's request {@code requestId}. */
        String responseId(long requestId) {
            return idPrefix + requestId;
        }
    }

    GenerationRequest {
        requireNonNull(kind, "kind is null");
        requireNonNull(promptTokens, "promptTokens is null");
        if (promptTokens.length == 0 || maxTokens < 1) {
            throw new IllegalArgumentException("prompt tokens " + promptTokens.length + ", max tokens " + maxTokens);
        }
    }
}
