package dev.servesim.api.cache;

import dev.servesim.api.request.BlockHashChain;

/**
 * Where an engine whose prefix cache is not a {@link KvCacheStrategy} (the sglang engine's radix tree) publishes
 * what that cache holds, as SGLang and vLLM publish KV events ({@code BlockStored}, {@code BlockRemoved}) for
 * KV-cache-aware routers. A block is a run of {@code EngineInfo.blockSizeTokens()} tokens, named by its hash in the
 * {@link BlockHashChain} of the sequence it belongs to at that block size, so that a router can compare it with a
 * request's prompt. An engine whose cache is a {@link KvCacheStrategy} publishes nothing here: the runner sees that
 * strategy's blocks itself (since API 0.6).
 *
 * <p>Called on the simulation thread, at the moment the cache changes.
 */
public interface KvCacheEvents {

    /** The cache now holds the block with this hash (and, by the chain, every block before it). */
    void blockStored(long blockHash);

    /** The cache no longer holds the block with this hash (evicted). */
    void blockRemoved(long blockHash);
}
