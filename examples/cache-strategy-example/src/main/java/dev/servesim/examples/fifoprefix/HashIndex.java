package dev.servesim.examples.fifoprefix;

import java.util.Arrays;

/**
 * Block hash to block id, an open-addressing table with linear probing (no boxing per lookup). Holds at most one
 * entry per block, so its capacity is fixed by the pool size.
 */
final class HashIndex {

    private static final int EMPTY = -1;

    private final long[] keys;
    private final int[] values;
    private final int mask;

    HashIndex(int blocks) {
        int capacity = Integer.highestOneBit(Math.max(2, blocks) * 2 - 1) * 2;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(values, EMPTY);
    }

    /** The block holding {@code hash}, or -1. */
    int get(long hash) {
        for (int slot = slot(hash); values[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keys[slot] == hash) {
                return values[slot];
            }
        }
        return EMPTY;
    }

    void put(long hash, int block) {
        int slot = slot(hash);
        while (values[slot] != EMPTY && keys[slot] != hash) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = hash;
        values[slot] = block;
    }

    void remove(long hash) {
        int slot = slot(hash);
        while (values[slot] != EMPTY && keys[slot] != hash) {
            slot = (slot + 1) & mask;
        }
        if (values[slot] == EMPTY) {
            return;
        }
        // backward-shift deletion keeps every probe sequence unbroken without tombstones
        int hole = slot;
        for (int next = (hole + 1) & mask; values[next] != EMPTY; next = (next + 1) & mask) {
            int home = slot(keys[next]);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                keys[hole] = keys[next];
                values[hole] = values[next];
                hole = next;
            }
        }
        values[hole] = EMPTY;
    }

    private int slot(long hash) {
        // Fibonacci hashing: the multiply spreads every bit of the hash into the high half, which is kept
        return (int) ((hash * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
