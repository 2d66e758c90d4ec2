package dev.servesim.cache;

/**
 * A first-in first-out queue of block ids with removal from the middle in O(1), as vLLM's
 * {@code FreeKVCacheBlockQueue} (vllm/v1/core/kv_cache_utils.py): a doubly linked list threaded through two int
 * arrays indexed by block id, so no node objects are allocated. A block is in at most one position.
 */
final class BlockQueue {

    private static final int NONE = -1;

    private final int[] next;
    private final int[] prev;
    private final boolean[] queued;
    private int head = NONE;
    private int tail = NONE;
    private int size;

    private BlockQueue(int blocks) {
        next = new int[blocks];
        prev = new int[blocks];
        queued = new boolean[blocks];
    }

    /** An empty queue for block ids {@code 0 .. blocks-1}. */
    static BlockQueue empty(int blocks) {
        return new BlockQueue(blocks);
    }

    /** A queue holding every block id {@code 0 .. blocks-1} in id order, as vLLM's free queue starts. */
    static BlockQueue allInIdOrder(int blocks) {
        BlockQueue queue = new BlockQueue(blocks);
        for (int id = 0; id < blocks; id++) {
            queue.pushTail(id);
        }
        return queue;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(int id) {
        return queued[id];
    }

    /** The first block, or -1 if the queue is empty. */
    int head() {
        return head;
    }

    /** The block after {@code id}, or -1 at the tail; for walks in queue order. */
    int next(int id) {
        return next[id];
    }

    void pushTail(int id) {
        if (queued[id]) {
            throw new IllegalStateException("block " + id + " is already queued");
        }
        queued[id] = true;
        next[id] = NONE;
        prev[id] = tail;
        if (tail == NONE) {
            head = id;
        } else {
            next[tail] = id;
        }
        tail = id;
        size++;
    }

    /** Removes and returns the first block; the queue must not be empty. */
    int popHead() {
        if (head == NONE) {
            throw new IllegalStateException("no free KV block");
        }
        int id = head;
        remove(id);
        return id;
    }

    /** Unlinks {@code id}, which must be queued. */
    void remove(int id) {
        if (!queued[id]) {
            throw new IllegalStateException("block " + id + " is not queued");
        }
        int before = prev[id];
        int after = next[id];
        if (before == NONE) {
            head = after;
        } else {
            next[before] = after;
        }
        if (after == NONE) {
            tail = before;
        } else {
            prev[after] = before;
        }
        queued[id] = false;
        size--;
    }
}
