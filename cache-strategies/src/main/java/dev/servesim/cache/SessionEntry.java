package dev.servesim.cache;

import dev.servesim.api.request.BlockHashChain;
import java.util.Arrays;

/**
 * What the {@code session} strategy knows of one session: its conversation context (the block hashes of the session's
 * most recent request that registered content: prompt and generated tokens, full blocks only), the cached blocks it
 * owns (a list threaded through the strategy's per-block arrays) and its place in the least-recently-used order.
 * Owned by {@link SessionCache}.
 */
final class SessionEntry {

    final long sessionId;

    /** Hashes of the context's full blocks, positions {@code 0 .. contextLength-1}. */
    private long[] context = new long[8];
    private int contextLength;
    /** Request whose chain the context is, and the last block index it registered. */
    private long contextRequest = Long.MIN_VALUE;
    private int lastRegistered = -1;

    int ownedHead = -1;
    int ownedTail = -1;
    int ownedCount;
    /** Owned blocks that are free (cached, evictable). */
    int freeOwned;

    SessionEntry lessRecent;
    SessionEntry moreRecent;

    SessionEntry(long sessionId) {
        this.sessionId = sessionId;
    }

    int contextLength() {
        return contextLength;
    }

    /** Leading full blocks of {@code chain} equal to the context's (chained hashes: equal hash, equal prefix). */
    int sharedPrefix(BlockHashChain chain) {
        int limit = Math.min(contextLength, chain.fullBlocks());
        int shared = 0;
        while (shared < limit && context[shared] == chain.hash(shared)) {
            shared++;
        }
        return shared;
    }

    /**
     * Whether block {@code blockIndex} of request {@code requestId} directly extends the context; if not, the context
     * must be rebuilt from the request's chain.
     */
    boolean continuesWith(long requestId, int blockIndex) {
        return contextRequest == requestId && blockIndex == lastRegistered + 1;
    }

    /** The context becomes blocks {@code 0 .. blockIndex} of {@code chain}, registered by request {@code requestId}. */
    void setContext(long requestId, BlockHashChain chain, int blockIndex) {
        if (context.length <= blockIndex) {
            context = Arrays.copyOf(context, Math.max(blockIndex + 1, context.length * 2));
        }
        if (!continuesWith(requestId, blockIndex)) {
            for (int k = 0; k < blockIndex; k++) {
                context[k] = chain.hash(k);
            }
        }
        context[blockIndex] = chain.hash(blockIndex);
        contextLength = blockIndex + 1;
        contextRequest = requestId;
        lastRegistered = blockIndex;
    }
}
