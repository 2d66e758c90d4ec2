package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

/**
 * One completed request as a line of a vllm-vcr trace (see {@link TraceWriter}).
 *
 * @param promptTokens prompt tokens sent
 * @param cachedTokens prompt tokens the server reported served from its prefix cache (0 if it did not say)
 * @param outputTokens output tokens ({@code usage.completion_tokens}, else the tokens counted)
 * @param ttftMs from the request's hand-over to the HTTP client (its arrival, if it waited for a connection) to its
 *     first chunk with text, as the client received it
 * @param itlMs the gap before each later chunk with text
 * @param itlTokens tokens of each such chunk; empty when every chunk carried one token
 * @param concurrency requests at the client (sent or waiting for a connection) when it arrived, itself included
 * @param arrivalMs arrival since the start of the run
 * @param blockHashes chained FNV-1a hashes of the prompt's full blocks ({@link PromptTokens#blockHashes}), unsigned
 * @param finishReason the server's {@code finish_reason}
 */
record TraceRecord(int promptTokens, int cachedTokens, int outputTokens, double ttftMs, double[] itlMs,
        int[] itlTokens, int concurrency, double arrivalMs, long[] blockHashes, String finishReason) {

    TraceRecord {
        requireNonNull(itlMs, "itlMs is null");
        requireNonNull(itlTokens, "itlTokens is null");
        requireNonNull(blockHashes, "blockHashes is null");
        requireNonNull(finishReason, "finishReason is null");
    }
}
