package dev.servesim.serve;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * Token ids to the content the engine hashes ({@link PromptContent}), so that prompts with equal leading tokens get
 * equal KV block hashes: the tokens are cut into blocks of the engine's block size, and each block becomes one
 * {@link Segment} whose content id hashes the block's token ids chained with the previous block's content id, as vLLM
 * chains its block hashes. Two prompts that share their first {@code k} full blocks share the first {@code k}
 * segments, hence the first {@code k} block hashes, and differ from the first block on which they differ. The last,
 * partial block is a segment of its own (it has no block hash until the engine fills it). Prefix matching is thus
 * exact at block granularity, which is where vLLM's prefix cache matches too.
 */
final class PromptBlocks {

    // distinct from the small content ids synthetic workloads use
    private static final long ROOT = 0x73657276_65736976L;

    private PromptBlocks() {}

    /** The prompt of {@code tokens} (not empty) for an engine with blocks of {@code blockSize} tokens. */
    static PromptContent of(int[] tokens, int blockSize) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        List<Segment> segments = new ArrayList<>(tokens.length / blockSize + 1);
        long parent = ROOT;
        for (int start = 0; start < tokens.length; start += blockSize) {
            int end = Math.min(tokens.length, start + blockSize);
            long content = mix(parent, end - start);
            for (int i = start; i < end; i++) {
                content = mix(content, tokens[i]);
            }
            segments.add(new Segment(content, end - start));
            parent = content;
        }
        return new PromptContent(segments, tokens.length);
    }

    // Stafford's variant 13 of the MurmurHash3 finaliser over the combined value, as BlockHashChain mixes
    private static long mix(long state, long value) {
        long z = state * 0xBF58476D1CE4E5B9L + value + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
