package dev.servesim.api.cache;

import static java.util.Objects.requireNonNull;

/**
 * Result of a prefix lookup: the blocks that already hold the request's leading full blocks, in chain order.
 *
 * @param blockIds ids of the cached blocks for blocks {@code 0 .. blockIds.length-1} of the request's chain;
 *     the array is owned by the caller after the call
 * @param event classification for metrics, e.g. {@code MISS}, {@code HIT}
 */
public record PrefixMatch(int[] blockIds, String event) {

    private static final int[] NO_BLOCKS = new int[0];

    public PrefixMatch {
        requireNonNull(blockIds, "blockIds is null");
        requireNonNull(event, "event is null");
    }

    /** No cached prefix. */
    public static PrefixMatch miss(String event) {
        return new PrefixMatch(NO_BLOCKS, event);
    }

    /** Number of matched blocks. */
    public int blocks() {
        return blockIds.length;
    }
}
