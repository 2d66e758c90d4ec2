package dev.servesim.workload;

import java.nio.charset.StandardCharsets;

/**
 * Content ids of prompt segments. Every kind of content gets a tag from a fixed name ({@code "synthetic/input"},
 * {@code "trace/block"}, ...), and an id mixes the tag with a value (request id, block hash, group index), so content
 * of different sources and purposes never shares an id (up to 64-bit hash collisions).
 */
final class ContentIds {

    private ContentIds() {}

    /** The tag of a kind of content: FNV-1a of its name, finalised. */
    static long tag(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return mix(hash);
    }

    /** The content id of {@code value} under {@code tag}. */
    static long of(long tag, long value) {
        return mix(tag ^ mix(value + 0x9E3779B97F4A7C15L));
    }

    // SplitMix64 finaliser
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
