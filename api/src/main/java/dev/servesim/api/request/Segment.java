package dev.servesim.api.request;

/**
 * A run of prompt tokens: tokens {@code 0 .. tokens-1} of the content identified by {@code contentId}. Two segments
 * with the same content id and lengths {@code a <= b} denote the same first {@code a} tokens; content ids of
 * different content must differ. A workload builds prompts from shared segments (a system prompt, an earlier turn's
 * response); a trace that ships block hashes maps each hash id to one segment of its hash-block size.
 *
 * @param contentId identity of the content, chosen by the workload
 * @param tokens number of tokens, at least 1
 */
public record Segment(long contentId, int tokens) {

    public Segment {
        if (tokens < 1) {
            throw new IllegalArgumentException("segment tokens must be at least 1, got " + tokens);
        }
    }
}
