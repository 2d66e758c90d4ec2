package dev.servesim.cache;

import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import java.util.Arrays;

/**
 * Finds the longest cached prefix of a chain as vLLM's {@code find_longest_cache_hit()} does: the chain's block
 * hashes in order, until the first one no block holds.
 * Shared by the hash-indexed strategies; each keeps one, whose buffer of found block ids is reused between lookups.
 */
final class CachedPrefix {

    private final BlockHashIndex index;
    private int[] found = new int[16];

    CachedPrefix(BlockHashIndex index) {
        this.index = index;
    }

    /** Blocks a lookup may return: the chain's full blocks, at most {@code maxBlocks}, at least 0. */
    static int limit(BlockHashChain chain, int maxBlocks) {
        return Math.max(0, Math.min(maxBlocks, chain.fullBlocks()));
    }

    /**
     * Looks up blocks {@code 0 .. limit-1} of {@code chain} and returns how many leading ones are cached; their ids
     * are {@link #block}{@code (0 .. n-1)} until the next call.
     */
    int find(BlockHashChain chain, int limit) {
        if (found.length < limit) {
            found = new int[Math.max(limit, found.length * 2)];
        }
        int cached = 0;
        while (cached < limit) {
            int block = index.find(chain.hash(cached));
            if (block < 0) {
                break;
            }
            found[cached++] = block;
        }
        return cached;
    }

    /** The block found for chain block {@code k} by the last {@link #find}. */
    int block(int k) {
        return found[k];
    }

    /** The first {@code hits} blocks of the last {@link #find}, in chain order, as a match classified {@code event}. */
    PrefixMatch match(int hits, String event) {
        return hits == 0 ? PrefixMatch.miss(event) : new PrefixMatch(Arrays.copyOf(found, hits), event);
    }
}
