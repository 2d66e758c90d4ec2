package dev.servesim.cache;

/**
 * Lookup events of the hash-indexed strategies ({@code block-hash}, {@code radix}), named neutrally rather than
 * after one framework.
 */
final class PrefixEvents {

    /** Every block the lookup may return was cached: all full blocks but the one kept for the last token. */
    static final String HIT = "HIT";
    /** Some leading blocks were cached, but fewer than the lookup allowed. */
    static final String PARTIAL_HIT = "PARTIAL_HIT";
    /** No block was cached, or the request is too short to have a cacheable block. */
    static final String MISS = "MISS";

    private PrefixEvents() {}

    static String of(int hitBlocks, int maxBlocks) {
        if (hitBlocks == 0) {
            return MISS;
        }
        return hitBlocks == maxBlocks ? HIT : PARTIAL_HIT;
    }
}
