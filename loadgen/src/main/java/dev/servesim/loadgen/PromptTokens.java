package dev.servesim.loadgen;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Segment;

/**
 * A prompt's content as the token ids sent to the server, and the block hashes of a vllm-vcr trace.
 *
 * <p>Token {@code i} of a segment of content {@code c} is {@code 1000 + mix(c, i) mod 30000}: the same content at the
 * same offset is the same token, so prompts that start with the same segments start with the same tokens and the
 * server's prefix cache finds exactly the prefix the workload shares. Ids from 1000 to 30999 are ordinary tokens of
 * every common vocabulary (special tokens sit below or far above).
 *
 * <p>Block hashes follow vllm-vcr: one per full block of {@value #BLOCK_SIZE} tokens (the partial tail is not hashed),
 * each the 64-bit FNV-1a of the previous block's hash (0 for the first block) as 8 little-endian bytes followed by the
 * block's token ids as 4 little-endian bytes each. Two prompts share a prefix exactly as far as their chains agree.
 */
final class PromptTokens {

    /** Tokens per hashed block (vllm-vcr's default, vLLM's default block size). */
    static final int BLOCK_SIZE = 16;
    static final int FIRST_ID = 1000;
    static final int ID_RANGE = 30_000;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private PromptTokens() {}

    /** The prompt's token ids, in order. */
    static int[] of(PromptContent prompt) {
        int[] tokens = new int[prompt.tokens()];
        int at = 0;
        for (Segment segment : prompt.segments()) {
            for (int i = 0; i < segment.tokens(); i++) {
                tokens[at++] = tokenId(segment.contentId(), i);
            }
        }
        return tokens;
    }

    /** The id of token {@code offset} of content {@code contentId}. */
    static int tokenId(long contentId, int offset) {
        // SplitMix64's finalizer over the content and the offset
        long z = contentId * 0x9E3779B97F4A7C15L + offset + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return FIRST_ID + (int) Long.remainderUnsigned(z, ID_RANGE);
    }

    /** The chained block hashes of {@code tokens}' full blocks (unsigned 64-bit values in a {@code long}). */
    static long[] blockHashes(int[] tokens) {
        long[] hashes = new long[tokens.length / BLOCK_SIZE];
        long previous = 0;
        for (int block = 0; block < hashes.length; block++) {
            long hash = FNV_OFFSET;
            for (int b = 0; b < Long.BYTES; b++) {
                hash = (hash ^ ((previous >>> (8 * b)) & 0xFF)) * FNV_PRIME;
            }
            for (int i = block * BLOCK_SIZE; i < (block + 1) * BLOCK_SIZE; i++) {
                int token = tokens[i];
                for (int b = 0; b < Integer.BYTES; b++) {
                    hash = (hash ^ ((token >>> (8 * b)) & 0xFF)) * FNV_PRIME;
                }
            }
            hashes[block] = hash;
            previous = hash;
        }
        return hashes;
    }
}
