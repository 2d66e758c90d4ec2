package dev.servesim.cache;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;

/** The errors a strategy raises when the engine breaks the {@link dev.servesim.api.cache.KvCacheStrategy} protocol. */
final class ProtocolViolations {

    private ProtocolViolations() {}

    static void checkBlockId(int blockId, int blocks) {
        if (blockId < 0 || blockId >= blocks) {
            throw new ServesimException(ErrorKind.INVARIANT, "KV block " + blockId + " is outside the pool of "
                    + blocks + " blocks");
        }
    }

    static ServesimException freedTwice(int blockId) {
        return new ServesimException(ErrorKind.INVARIANT, "KV block " + blockId + " freed twice");
    }

    static ServesimException acquiredNotCachedFree(int blockId) {
        return new ServesimException(ErrorKind.INVARIANT, "KV block " + blockId
                + " was acquired but is not a free block holding cached content");
    }

    static ServesimException registeredFree(int blockId) {
        return new ServesimException(ErrorKind.INVARIANT, "KV block " + blockId
                + " was registered while free; only referenced blocks get content");
    }

    static ServesimException registeredTwice(int blockId) {
        return new ServesimException(ErrorKind.INVARIANT, "KV block " + blockId + " was registered twice");
    }

    static ServesimException corrupted(String what) {
        return new ServesimException(ErrorKind.INVARIANT, "KV cache strategy state corrupted: " + what);
    }
}
