package dev.servesim.api.request;

import java.util.Arrays;

/**
 * Chained hashes of the full KV blocks of one token sequence, computed as vLLM chains block hashes
 * (vllm/v1/core/kv_cache_utils.py: hash of the parent block's hash and this block's tokens): block {@code k}'s hash
 * mixes block {@code k-1}'s hash with the identities of the block's tokens. Equal prefixes therefore give equal
 * hashes up to the last full block they share, and a difference anywhere changes every later hash.
 *
 * <p>A token's identity is (content id, offset within that content). Consecutive tokens of one content are folded
 * as one run (content id, first offset, length), so the hashes do not depend on how the sequence was appended (one
 * segment, or one token at a time as an engine appends generated tokens). Hashes are 64-bit; the chance that two
 * different prefixes collide in a run with {@code n} distinct blocks is about {@code n^2 / 2^65}.
 *
 * <p>Mutable; owned by one component (an engine keeps one per request and appends output tokens as they are
 * generated). Not thread-safe.
 */
public final class BlockHashChain {

    /** Hash that seeds every chain (vLLM's NONE_HASH); fixed, so hashes are stable across runs. */
    public static final long ROOT_HASH = 0x5E7E5E5E_D00DF00DL;

    private final int blockSize;
    private long[] hashes = new long[8];
    private int fullBlocks;
    private int tokens;

    // the partial block being filled
    private long blockState = ROOT_HASH;
    private int tokensInBlock;
    // the open run of the partial block
    private long runContent;
    private int runStart;
    private int runLength;

    /** An empty chain for blocks of {@code blockSize} tokens. */
    public BlockHashChain(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        this.blockSize = blockSize;
    }

    /** A chain over the whole prompt. */
    public static BlockHashChain of(PromptContent prompt, int blockSize) {
        BlockHashChain chain = new BlockHashChain(blockSize);
        chain.append(prompt);
        return chain;
    }

    /** Appends every segment of {@code prompt}. */
    public void append(PromptContent prompt) {
        for (Segment segment : prompt.segments()) {
            append(segment.contentId(), 0, segment.tokens());
        }
    }

    /** Appends tokens {@code fromOffset .. fromOffset+count-1} of content {@code contentId}. */
    public void append(long contentId, int fromOffset, int count) {
        if (count < 0 || fromOffset < 0) {
            throw new IllegalArgumentException("negative offset or count: " + fromOffset + ", " + count);
        }
        int offset = fromOffset;
        int remaining = count;
        while (remaining > 0) {
            int take = Math.min(remaining, blockSize - tokensInBlock);
            if (runLength > 0 && runContent == contentId && runStart + runLength == offset) {
                runLength += take;
            } else {
                closeRun();
                runContent = contentId;
                runStart = offset;
                runLength = take;
            }
            tokensInBlock += take;
            tokens += take;
            offset += take;
            remaining -= take;
            if (tokensInBlock == blockSize) {
                closeRun();
                addFullBlock(blockState);
            }
        }
    }

    private void closeRun() {
        if (runLength > 0) {
            blockState = mix(mix(mix(blockState, runContent), runStart), runLength);
            runLength = 0;
        }
    }

    private void addFullBlock(long hash) {
        if (fullBlocks == hashes.length) {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
        }
        hashes[fullBlocks++] = hash;
        // the next block chains on this block's hash
        blockState = mix(hash, 0x9E3779B97F4A7C15L);
        tokensInBlock = 0;
    }

    /** Block size in tokens. */
    public int blockSize() {
        return blockSize;
    }

    /** Number of tokens appended so far. */
    public int tokens() {
        return tokens;
    }

    /** Number of full blocks, each of which has a hash. */
    public int fullBlocks() {
        return fullBlocks;
    }

    /** Hash of full block {@code index} (0-based). */
    public long hash(int index) {
        if (index < 0 || index >= fullBlocks) {
            throw new IndexOutOfBoundsException("block " + index + " of " + fullBlocks + " full blocks");
        }
        return hashes[index];
    }

    /** Hashes of all full blocks, a copy. */
    public long[] hashes() {
        return Arrays.copyOf(hashes, fullBlocks);
    }

    // Stafford's variant 13 of the MurmurHash3 finaliser over the combined value: full avalanche per step.
    private static long mix(long state, long value) {
        long z = state * 0xBF58476D1CE4E5B9L + value + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
