package dev.servesim.cache;

/**
 * A binary min-heap of block ids ordered by a long key per block, then by block id, with O(log n) removal and key
 * change of any member: positions are tracked per block id, so no objects are allocated.
 */
final class BlockHeap {

    private static final int ABSENT = -1;

    private final int[] heap;
    private final int[] position;
    private final long[] key;
    private int size;

    BlockHeap(int blocks) {
        heap = new int[blocks];
        position = new int[blocks];
        key = new long[blocks];
        java.util.Arrays.fill(position, ABSENT);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(int block) {
        return position[block] != ABSENT;
    }

    void add(int block, long blockKey) {
        if (contains(block)) {
            throw new IllegalStateException("block " + block + " is already in the heap");
        }
        key[block] = blockKey;
        heap[size] = block;
        position[block] = size;
        siftUp(size++);
    }

    /** Removes and returns the block with the smallest key; the heap must not be empty. */
    int poll() {
        int block = heap[0];
        remove(block);
        return block;
    }

    void remove(int block) {
        int at = position[block];
        if (at == ABSENT) {
            throw new IllegalStateException("block " + block + " is not in the heap");
        }
        position[block] = ABSENT;
        int last = heap[--size];
        if (at < size) {
            heap[at] = last;
            position[last] = at;
            siftDown(at);
            siftUp(position[last]);
        }
    }

    /** Changes the key of a member. */
    void update(int block, long blockKey) {
        key[block] = blockKey;
        int at = position[block];
        siftUp(at);
        siftDown(position[block]);
    }

    /** Checks the heap order and positions; O(n), for tests. */
    boolean isConsistent() {
        for (int i = 0; i < size; i++) {
            if (position[heap[i]] != i || i > 0 && less(heap[i], heap[(i - 1) / 2])) {
                return false;
            }
        }
        return true;
    }

    private boolean less(int a, int b) {
        return key[a] < key[b] || key[a] == key[b] && a < b;
    }

    private void siftUp(int at) {
        int block = heap[at];
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!less(block, heap[parent])) {
                break;
            }
            heap[at] = heap[parent];
            position[heap[at]] = at;
            at = parent;
        }
        heap[at] = block;
        position[block] = at;
    }

    private void siftDown(int at) {
        int block = heap[at];
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && less(heap[child + 1], heap[child])) {
                child++;
            }
            if (!less(heap[child], block)) {
                break;
            }
            heap[at] = heap[child];
            position[heap[at]] = at;
            at = child;
        }
        heap[at] = block;
        position[block] = at;
    }
}
