package dev.servesim.examples.fifoprefix;

/**
 * An ordered list of block ids with O(1) append, removal from anywhere and pop of the first: a doubly linked list
 * threaded through int arrays indexed by block id, so nothing is allocated per operation.
 */
final class BlockList {

    private static final int NONE = -1;

    private final int[] next;
    private final int[] prev;
    private final boolean[] listed;
    private int first = NONE;
    private int last = NONE;
    private int size;

    BlockList(int blocks) {
        next = new int[blocks];
        prev = new int[blocks];
        listed = new boolean[blocks];
    }

    int size() {
        return size;
    }

    boolean contains(int block) {
        return listed[block];
    }

    /** The first block, or -1. */
    int first() {
        return first;
    }

    /** The block after {@code block}, or -1. */
    int next(int block) {
        return next[block];
    }

    void append(int block) {
        listed[block] = true;
        next[block] = NONE;
        prev[block] = last;
        if (last == NONE) {
            first = block;
        } else {
            next[last] = block;
        }
        last = block;
        size++;
    }

    void remove(int block) {
        if (prev[block] == NONE) {
            first = next[block];
        } else {
            next[prev[block]] = next[block];
        }
        if (next[block] == NONE) {
            last = prev[block];
        } else {
            prev[next[block]] = prev[block];
        }
        listed[block] = false;
        size--;
    }
}
