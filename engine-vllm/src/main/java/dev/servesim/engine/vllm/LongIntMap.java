package dev.servesim.engine.vllm;

import java.util.Arrays;

/**
 * A map from {@code long} keys (block hashes) to non-negative {@code int} values, with open addressing and linear
 * probing, so lookups on the per-step path neither box nor allocate. Removal shifts the following entries back, so
 * there are no tombstones. Never iterated: its order cannot reach results.
 */
final class LongIntMap {

    private static final int ABSENT = -1;

    private long[] keys;
    /** Value + 1 per slot; 0 marks an empty slot. */
    private int[] values;
    private int mask;
    private int size;

    /** A map sized for about {@code expected} entries without growing. */
    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) * 2;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    /** The value of {@code key}, or -1 if it has none. */
    int get(long key) {
        int slot = slot(key);
        while (values[slot] != 0) {
            if (keys[slot] == key) {
                return values[slot] - 1;
            }
            slot = (slot + 1) & mask;
        }
        return ABSENT;
    }

    boolean containsKey(long key) {
        return get(key) != ABSENT;
    }

    /** Maps {@code key} to {@code value} (at least 0), replacing any previous value. */
    void put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be non-negative, got " + value);
        }
        int slot = slot(key);
        while (values[slot] != 0) {
            if (keys[slot] == key) {
                values[slot] = value + 1;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value + 1;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    /** Removes {@code key}; returns its value, or -1 if it had none. */
    int remove(long key) {
        int slot = slot(key);
        while (values[slot] != 0) {
            if (keys[slot] == key) {
                int value = values[slot] - 1;
                deleteAt(slot);
                size--;
                return value;
            }
            slot = (slot + 1) & mask;
        }
        return ABSENT;
    }

    private void deleteAt(int slot) {
        // backward-shift deletion (Knuth 6.4 algorithm R): move later entries of the probe run into the hole
        int hole = slot;
        int next = (hole + 1) & mask;
        while (values[next] != 0) {
            int home = slot(keys[next]);
            // the entry at next may fill the hole unless its home lies cyclically in (hole, next]
            boolean stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!stays) {
                keys[hole] = keys[next];
                values[hole] = values[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        values[hole] = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != 0) {
                int slot = slot(oldKeys[i]);
                while (values[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    /** Clears every entry, keeping the table. */
    void clear() {
        Arrays.fill(values, 0);
        size = 0;
    }

    private int slot(long key) {
        // block hashes are already well mixed; fold the high bits in for other keys
        long h = key ^ (key >>> 32);
        h ^= h >>> 16;
        return (int) h & mask;
    }
}
