package dev.servesim.runner.sinks;

import java.util.Arrays;

/**
 * Packs time intervals into lanes so that intervals on one lane never overlap: an interval goes to the lowest lane
 * whose intervals all end by its start, or to a new lane. Intervals come in the order requests end, not in the order
 * they start, so the packing is valid but may use more lanes than the most intervals open at once. Memory is one
 * {@code long} per lane (the latest end on it), kept in a tree of minimums so that a lane is found in O(log lanes).
 */
final class LanePacker {

    private int capacity = 16;
    // leaves (capacity .. 2 * capacity - 1): the latest end on each lane, MAX_VALUE past the last lane; inner nodes:
    // the minimum of their children
    private long[] tree = newTree(capacity);
    private int lanes;

    /** The lane (from 0) of the interval {@code [start, end]}, in nanoseconds. */
    int place(long start, long end) {
        int lane = lowestFreeLane(start);
        if (lane < 0) {
            if (lanes == capacity) {
                grow();
            }
            lane = lanes++;
        }
        set(lane, Math.max(start, end));
        return lane;
    }

    int lanes() {
        return lanes;
    }

    private int lowestFreeLane(long start) {
        if (tree[1] > start) {
            return -1;
        }
        int node = 1;
        while (node < capacity) {
            node = tree[2 * node] <= start ? 2 * node : 2 * node + 1;
        }
        return node - capacity;
    }

    private void set(int lane, long end) {
        int node = capacity + lane;
        tree[node] = end;
        for (node /= 2; node >= 1; node /= 2) {
            tree[node] = Math.min(tree[2 * node], tree[2 * node + 1]);
        }
    }

    private void grow() {
        long[] grown = newTree(2 * capacity);
        System.arraycopy(tree, capacity, grown, 2 * capacity, capacity);
        capacity *= 2;
        tree = grown;
        for (int node = capacity - 1; node >= 1; node--) {
            tree[node] = Math.min(tree[2 * node], tree[2 * node + 1]);
        }
    }

    private static long[] newTree(int capacity) {
        long[] tree = new long[2 * capacity];
        Arrays.fill(tree, Long.MAX_VALUE);
        return tree;
    }
}
