package dev.servesim.cache;

import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;

/** Steps of the engine-strategy protocol as the engine takes them, for tests that drive a strategy by hand. */
final class Protocol {

    private Protocol() {}

    /**
     * The blocks of a request that found {@code hits} cached, as the engine gives them: the hits acquired, then one
     * fresh block per further block of its tokens (the last one may be partial), its full blocks registered.
     */
    static int[] hold(KvCacheStrategy cache, Request request, BlockHashChain chain, int[] hits) {
        int blockSize = chain.blockSize();
        int[] ids = new int[(chain.tokens() + blockSize - 1) / blockSize];
        for (int k = 0; k < ids.length; k++) {
            if (k < hits.length) {
                ids[k] = hits[k];
                cache.acquire(ids[k]);
            } else {
                ids[k] = cache.allocate();
            }
        }
        for (int k = hits.length; k < chain.fullBlocks(); k++) {
            cache.register(ids[k], request, chain, k);
        }
        return ids;
    }

    /** Releases a request's blocks as the engine does: last block first. */
    static void releaseAll(KvCacheStrategy cache, int... ids) {
        for (int k = ids.length - 1; k >= 0; k--) {
            cache.release(ids[k]);
        }
    }
}
