package dev.servesim.api.engine;

/**
 * A snapshot of an engine replica's load.
 *
 * @param running requests in the running batch
 * @param waiting requests waiting for admission
 * @param kvBlocksUsed KV blocks referenced by requests
 * @param kvBlocksTotal usable KV blocks, 0 for engines that do not model KV memory
 */
public record EngineLoad(int running, int waiting, int kvBlocksUsed, int kvBlocksTotal) {

    /** Fraction of KV blocks in use, 0 to 1. */
    public double kvUsage() {
        return kvBlocksTotal == 0 ? 0 : (double) kvBlocksUsed / kvBlocksTotal;
    }
}
