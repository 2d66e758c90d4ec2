package dev.servesim.cache;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

/**
 * Which block holds which content: block hash to block id, as vLLM's {@code cached_block_hash_to_block}
 * (vllm/v1/core/block_pool.py). Several blocks may hold the same hash (vLLM does not de-duplicate); a lookup returns
 * the earliest added of those still present, as vLLM's {@code get_one_block} returns the first entry of its
 * insertion-ordered dict. The copies of one hash form a circular doubly linked list through two int arrays, whose
 * head is the map's value, so adding and removing are O(1).
 */
final class BlockHashIndex {

    private static final int NONE = -1;

    private final Long2IntOpenHashMap first;
    private final long[] hashOf;
    private final boolean[] cached;
    private final int[] nextCopy;
    private final int[] prevCopy;
    private int size;

    BlockHashIndex(int blocks) {
        first = new Long2IntOpenHashMap();
        first.defaultReturnValue(NONE);
        hashOf = new long[blocks];
        cached = new boolean[blocks];
        nextCopy = new int[blocks];
        prevCopy = new int[blocks];
    }

    /** Number of blocks holding registered content. */
    int size() {
        return size;
    }

    boolean isCached(int block) {
        return cached[block];
    }

    /** The hash block {@code block} holds; meaningful only while {@link #isCached}. */
    long hashOf(int block) {
        return hashOf[block];
    }

    /** The earliest added block still holding {@code hash}, or -1. */
    int find(long hash) {
        return first.get(hash);
    }

    /** Records that {@code block}, which holds nothing, now holds {@code hash}. */
    void add(int block, long hash) {
        if (cached[block]) {
            throw new IllegalStateException("block " + block + " already holds content");
        }
        cached[block] = true;
        hashOf[block] = hash;
        size++;
        int head = first.putIfAbsent(hash, block);
        if (head == NONE) {
            nextCopy[block] = block;
            prevCopy[block] = block;
        } else {
            // append at the end of the circle, just before the head: lookups keep returning the head
            int last = prevCopy[head];
            nextCopy[last] = block;
            prevCopy[block] = last;
            nextCopy[block] = head;
            prevCopy[head] = block;
        }
    }

    /** Drops the content of {@code block}, which must be cached. */
    void remove(int block) {
        if (!cached[block]) {
            throw new IllegalStateException("block " + block + " holds no content");
        }
        cached[block] = false;
        size--;
        long hash = hashOf[block];
        int after = nextCopy[block];
        if (after == block) {
            first.remove(hash);
            return;
        }
        int before = prevCopy[block];
        nextCopy[before] = after;
        prevCopy[after] = before;
        if (first.get(hash) == block) {
            first.put(hash, after);
        }
    }

    /** Number of distinct hashes; for consistency checks. */
    int distinctHashes() {
        return first.size();
    }
}
