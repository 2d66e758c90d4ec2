package dev.servesim.api.cache;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;

/**
 * Prefix caching policy over an engine's KV block pool, split as vLLM splits its BlockPool
 * (vllm/v1/core/block_pool.py): the engine owns reference counts and each request's block table; the strategy owns
 * the content index (which block holds which content) and the set of free blocks, including the order in which free
 * blocks are reused and so which cached content is evicted.
 *
 * <p>Protocol, as the engine drives it:
 * <ol>
 *   <li>On admission, {@link #match} finds cached blocks for the request's leading full blocks. It claims nothing.
 *   <li>The engine {@link #acquire}s each matched block that no running request references, and {@link #allocate}s
 *       fresh blocks for the rest, after checking {@link #freeBlocks()}.
 *   <li>When a block becomes full with known content, the engine calls {@link #register} (vLLM does this when the
 *       step that fills the block is scheduled, including blocks filled by generated tokens).
 *   <li>When the last reference to a block is dropped (request finished or preempted), the engine calls
 *       {@link #release}; the block becomes free but may keep its content until it is reused.
 * </ol>
 * A block is always in exactly one of three states: free (in the strategy's free set, with or without cached
 * content), or referenced by at least one request.
 */
public interface KvCacheStrategy {

    /**
     * Finds cached blocks holding blocks {@code 0 .. n-1} of {@code chain}, {@code n <= maxBlocks}. Counts the lookup
     * in the statistics.
     */
    PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks);

    /** Blocks that {@link #allocate()} can hand out now (free blocks, with or without cached content). */
    int freeBlocks();

    /**
     * Takes a free block for new content, evicting whatever it cached.
     *
     * @throws IllegalStateException if no block is free
     */
    int allocate();

    /** A free block found by {@link #match} is now referenced by a request: it leaves the free set, keeping content. */
    void acquire(int blockId);

    /**
     * Block {@code blockId} now holds full block {@code blockIndex} of {@code chain}, computed for {@code request}.
     * Strategies that cache nothing ignore it.
     */
    void register(int blockId, Request request, BlockHashChain chain, int blockIndex);

    /** No request references {@code blockId} any more: it rejoins the free set. */
    void release(int blockId);

    /** Counters since the start of the run. */
    CacheStats stats();
}
