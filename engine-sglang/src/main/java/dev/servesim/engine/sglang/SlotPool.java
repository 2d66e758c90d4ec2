package dev.servesim.engine.sglang;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;

/**
 * The KV slot pool, SGLang's token-to-KV-pool allocator (python/sglang/srt/mem_cache/allocator.py) reduced to a
 * counter: the simulator does not track which slot holds which token, only how many are free. One slot holds one
 * token's KV.
 */
final class SlotPool {

    private final int capacityTokens;
    private int freeTokens;

    SlotPool(int capacityTokens) {
        if (capacityTokens < 0) {
            throw new IllegalArgumentException("slot pool capacity must be at least 0, got " + capacityTokens);
        }
        this.capacityTokens = capacityTokens;
        this.freeTokens = capacityTokens;
    }

    int capacityTokens() {
        return capacityTokens;
    }

    /** Free slots, SGLang's {@code available_size()}. */
    int freeTokens() {
        return freeTokens;
    }

    /** Takes {@code tokens} slots; false, taking none, if fewer are free (SGLang's {@code alloc} returns None). */
    boolean allocate(int tokens) {
        checkCount(tokens);
        if (tokens > freeTokens) {
            return false;
        }
        freeTokens -= tokens;
        return true;
    }

    /** Returns {@code tokens} slots. */
    void free(int tokens) {
        checkCount(tokens);
        if (tokens > capacityTokens - freeTokens) {
            throw new ServesimException(ErrorKind.INVARIANT, "freeing " + tokens + " KV slots but only "
                    + (capacityTokens - freeTokens) + " of " + capacityTokens + " are in use");
        }
        freeTokens += tokens;
    }

    private static void checkCount(int tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("negative slot count " + tokens);
        }
    }
}
