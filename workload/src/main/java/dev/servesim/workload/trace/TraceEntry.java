package dev.servesim.workload.trace;

/**
 * One request of a trace, as read.
 *
 * @param line line number in the file (1-based)
 * @param time arrival in seconds of trace time
 * @param promptTokens prompt tokens (0 if the trace says so; the source skips such requests)
 * @param outputTokens output tokens to generate
 * @param blockHashes prefix-chained hashes of the prompt's blocks of {@code blockSize} tokens, in order: block
 *     {@code i} covers tokens {@code i * blockSize} up to the next block or the end of the prompt, so the last one
 *     may be partial (Mooncake). Tokens after the last hashed block are unique to the request. Empty if the trace has
 *     no hashes; owned by the entry, never modified
 * @param blockSize tokens per hash block (0 if there are no hashes)
 * @param sessionId session recorded in the trace, or -1
 * @param turn turn recorded in the trace, or 0
 * @param priority scheduling priority recorded in the trace (0 if none)
 * @param profile label recorded in the trace (empty if none)
 * @param e2e recorded end-to-end latency, seconds, or {@code NaN}
 */
public record TraceEntry(
        long line,
        double time,
        int promptTokens,
        int outputTokens,
        long[] blockHashes,
        int blockSize,
        long sessionId,
        int turn,
        int priority,
        String profile,
        double e2e) {

    /**
     * Latest simulated arrival of a replayed request, seconds: 1e9 s, about 31.7 years. Beyond it a double's spacing
     * is over 0.1 microseconds, coarse against engine step times (see docs/trace-format.md). It also keeps a stray
     * timestamp such as {@code 1e300} from becoming a run that never ends.
     */
    public static final double MAX_TIME_SECONDS = 1e9;

    /** {@link #MAX_TIME_SECONDS} as messages and docs write it. */
    static final String MAX_TIME_TEXT = "1e9 s (about 31.7 years)";

    /** The block hashes of a trace without hashes (shared, never modified). */
    public static final long[] NO_HASHES = new long[0];

    /** Number of hashed blocks that are full ({@code blockSize} tokens). */
    public int fullBlocks() {
        return blockHashes.length == 0 ? 0 : Math.min(blockHashes.length, promptTokens / blockSize);
    }
}
