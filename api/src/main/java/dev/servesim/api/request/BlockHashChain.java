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
 * <p>Immutable (since API 0.3), so a cache strategy or router may keep a chain it was given. A whole prompt's chain
 * comes from {@link #of}; a sequence that grows (an engine appending generated tokens) is kept in a {@link Builder},
 * whose {@link Builder#build()} takes a chain of the tokens so far in constant time. (Chains used to be mutable: an
 * engine built against an earlier API that appended to a chain must move to the builder.)
 */
public final class BlockHashChain {

    /** Hash that seeds every chain (vLLM's NONE_HASH); fixed, so hashes are stable across runs. */
    public static final long ROOT_HASH = 0x5E7E5E5E_D00DF00DL;

    private static final long[] NO_HASHES = new long[0];

    private final int blockSize;
    // entries below fullBlocks are never written again, so a chain may share the array of the builder that made it
    private final long[] hashes;
    private final int fullBlocks;
    private final int tokens;

    /** An empty chain for blocks of {@code blockSize} tokens. */
    public BlockHashChain(int blockSize) {
        this(checkBlockSize(blockSize), NO_HASHES, 0, 0);
    }

    private BlockHashChain(int blockSize, long[] hashes, int fullBlocks, int tokens) {
        this.blockSize = blockSize;
        this.hashes = hashes;
        this.fullBlocks = fullBlocks;
        this.tokens = tokens;
    }

    /** A chain over the whole prompt. */
    public static BlockHashChain of(PromptContent prompt, int blockSize) {
        return builder(blockSize).append(prompt).build();
    }

    /** An empty builder for blocks of {@code blockSize} tokens. */
    public static Builder builder(int blockSize) {
        return new Builder(checkBlockSize(blockSize));
    }

    private static int checkBlockSize(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        return blockSize;
    }

    /** Block size in tokens. */
    public int blockSize() {
        return blockSize;
    }

    /** Number of tokens in the sequence. */
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

    /**
     * Builds the chain of a sequence as tokens are appended. Mutable; owned by one component (an engine keeps one
     * per request and appends output tokens as they are generated). Not thread-safe; the chains it builds are.
     */
    public static final class Builder {

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

        // the chain of the last build(), while nothing was appended since
        private BlockHashChain built;

        private Builder(int blockSize) {
            this.blockSize = blockSize;
        }

        /** Appends every segment of {@code prompt}. */
        public Builder append(PromptContent prompt) {
            for (Segment segment : prompt.segments()) {
                append(segment.contentId(), 0, segment.tokens());
            }
            return this;
        }

        /** Appends tokens {@code fromOffset .. fromOffset+count-1} of content {@code contentId}. */
        public Builder append(long contentId, int fromOffset, int count) {
            if (count < 0 || fromOffset < 0) {
                throw new IllegalArgumentException("negative offset or count: " + fromOffset + ", " + count);
            }
            if (count > 0) {
                built = null;
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
            return this;
        }

        private void closeRun() {
            if (runLength > 0) {
                blockState = mix(mix(mix(blockState, runContent), runStart), runLength);
                runLength = 0;
            }
        }

        private void addFullBlock(long hash) {
            if (fullBlocks == hashes.length) {
                // a new array: chains built so far keep the old one
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

        /** Number of full blocks so far, each of which has a hash. */
        public int fullBlocks() {
            return fullBlocks;
        }

        /** Hash of full block {@code index} (0-based); it never changes once the block is full. */
        public long hash(int index) {
            if (index < 0 || index >= fullBlocks) {
                throw new IndexOutOfBoundsException("block " + index + " of " + fullBlocks + " full blocks");
            }
            return hashes[index];
        }

        /**
         * The chain of the tokens appended so far. Constant time: the chain shares the hashes already computed, which
         * never change. Returns the same chain until more tokens are appended.
         */
        public BlockHashChain build() {
            if (built == null) {
                built = new BlockHashChain(blockSize, hashes, fullBlocks, tokens);
            }
            return built;
        }
    }

    // Stafford's variant 13 of the MurmurHash3 finaliser over the combined value: full avalanche per step.
    private static long mix(long state, long value) {
        long z = state * 0xBF58476D1CE4E5B9L + value + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
