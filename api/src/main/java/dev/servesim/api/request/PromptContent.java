package dev.servesim.api.request;

import java.util.ArrayList;
import java.util.List;

/**
 * A prompt as a sequence of {@link Segment}s. Block hashes are derived from it with {@link BlockHashChain}, so two
 * prompts that start with the same segments share block hashes up to the last full block of the shared prefix.
 *
 * @param segments the segments in order, not empty
 * @param tokens total number of tokens, the sum of the segment lengths
 */
public record PromptContent(List<Segment> segments, int tokens) {

    public PromptContent {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a prompt needs at least one segment");
        }
        long sum = 0;
        for (Segment segment : segments) {
            sum += segment.tokens();
        }
        if (sum != tokens) {
            throw new IllegalArgumentException("tokens " + tokens + " != sum of segment lengths " + sum);
        }
    }

    /** A prompt made of the given segments. */
    public static PromptContent of(List<Segment> segments) {
        long sum = 0;
        for (Segment segment : segments) {
            sum += segment.tokens();
        }
        if (sum > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("prompt too long: " + sum + " tokens");
        }
        return new PromptContent(segments, (int) sum);
    }

    /** A prompt made of the given segments. */
    public static PromptContent of(Segment... segments) {
        return of(List.of(segments));
    }

    /** A prompt of {@code tokens} tokens of content {@code contentId}, shared with no other prompt if the id is unique. */
    public static PromptContent single(long contentId, int tokens) {
        return new PromptContent(List.of(new Segment(contentId, tokens)), tokens);
    }

    /** This prompt followed by {@code more}. */
    public PromptContent append(List<Segment> more) {
        List<Segment> all = new ArrayList<>(segments.size() + more.size());
        all.addAll(segments);
        all.addAll(more);
        return of(all);
    }
}
