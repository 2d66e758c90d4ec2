package dev.servesim.engine.vllm;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.request.BlockHashChain;
import java.util.Arrays;

/**
 * The engine side of vLLM's KV block pool (vllm/v1/core/block_pool.py, kv_cache_manager.py): reference counts per
 * block and the requests' block tables. The {@link KvCacheStrategy} owns the free set and the content index; this
 * class drives it through the strategy's protocol (match, acquire, allocate, register, release). Blocks registered
 * with the strategy are also offered to the CPU tier, which stores them when the step ends (write-through).
 */
final class BlockPool {

    private final KvCacheStrategy cache;
    private final CpuKvTier cpu;
    private final int blockSize;
    private final int maxModelLen;
    private final int totalBlocks;
    private final int[] refCounts;
    private int usedBlocks;

    BlockPool(KvCacheStrategy cache, CpuKvTier cpu, int totalBlocks, int blockSize, int maxModelLen) {
        this.cache = cache;
        this.cpu = cpu;
        this.totalBlocks = totalBlocks;
        this.blockSize = blockSize;
        this.maxModelLen = maxModelLen;
        this.refCounts = new int[totalBlocks];
        if (cache.freeBlocks() != totalBlocks) {
            throw new ServesimException(ErrorKind.PLUGIN, "a new KV cache strategy reports " + cache.freeBlocks()
                    + " free blocks for a pool of " + totalBlocks);
        }
    }

    int totalBlocks() {
        return totalBlocks;
    }

    /** Blocks referenced by at least one request. */
    int usedBlocks() {
        return usedBlocks;
    }

    int blocksFor(long tokens) {
        return (int) ((tokens + blockSize - 1) / blockSize);
    }

    /**
     * vLLM's {@code allocate_slots}: gives {@code state} the blocks for {@code hits.length} cached blocks (a new
     * request only) plus {@code newTokens} tokens after its computed ones, or nothing if the free blocks do not
     * suffice. Then registers the blocks that the scheduled tokens fill, so later requests (even in the same step)
     * can hit them.
     *
     * @param hits ids of cached blocks found for a request that has no blocks yet, else empty
     * @return false, changing nothing, if there are not enough free blocks
     */
    boolean allocateSlots(RequestState state, int[] hits, int newTokens) {
        if (!allocate(state, hits, newTokens)) {
            return false;
        }
        // as vLLM allocate_slots(): cache full blocks at schedule time, up to min(computed + new, num_tokens)
        register(state, Math.min(state.computedTokens + hits.length * blockSize + newTokens, state.numTokens()));
        return true;
    }

    /**
     * As {@link #allocateSlots} for a request whose next {@code loadTokens} tokens come from the CPU tier: takes the
     * blocks but registers nothing until the copy is done (vLLM's {@code delay_cache_blocks}).
     */
    boolean reserveForLoad(RequestState state, int[] hits, int loadTokens) {
        return allocate(state, hits, loadTokens);
    }

    /**
     * Registers with the cache strategy (and offers to the CPU tier) every block of the request's table fully
     * covered by its first {@code tokens} tokens and not registered yet.
     */
    void register(RequestState state, int tokens) {
        int fullBlocks = Math.min(tokens / blockSize, state.blockCount);
        if (state.registeredBlocks < fullBlocks) {
            BlockHashChain chain = state.chain.build();
            for (int index = state.registeredBlocks; index < fullBlocks; index++) {
                cache.register(state.blocks[index], state.request, chain, index);
            }
        }
        state.registeredBlocks = Math.max(state.registeredBlocks, fullBlocks);
        if (cpu.enabled()) {
            // as the OffloadingConnector: offer every block the request has filled, from its first one; blocks
            // already on the CPU (hits included) are skipped when stored
            for (int index = state.offeredBlocks; index < fullBlocks; index++) {
                cpu.offer(state.chain.hash(index));
            }
            state.offeredBlocks = Math.max(state.offeredBlocks, fullBlocks);
        }
    }

    private boolean allocate(RequestState state, int[] hits, int newTokens) {
        int hitTokens = hits.length * blockSize;
        int slots = Math.min(state.computedTokens + hitTokens + newTokens, maxModelLen);
        int newBlocks = Math.max(0, blocksFor(slots) - state.blockCount - hits.length);
        // a hit on a cached-but-free block takes it out of the free set, so it counts against the free blocks
        int evictableHits = 0;
        for (int id : hits) {
            if (refCounts[id] == 0) {
                evictableHits++;
            }
        }
        if (newBlocks + evictableHits > cache.freeBlocks()) {
            return false;
        }
        ensureCapacity(state, state.blockCount + hits.length + newBlocks);
        for (int id : hits) {
            if (refCounts[id]++ == 0) {
                cache.acquire(id);
                usedBlocks++;
            }
            state.blocks[state.blockCount++] = id;
        }
        state.registeredBlocks += hits.length;
        for (int k = 0; k < newBlocks; k++) {
            int id = cache.allocate();
            if (refCounts[id] != 0) {
                throw new ServesimException(ErrorKind.INVARIANT, "KV cache strategy handed out block " + id
                        + " which has " + refCounts[id] + " references");
            }
            refCounts[id] = 1;
            usedBlocks++;
            state.blocks[state.blockCount++] = id;
        }
        return true;
    }

    /**
     * Drops the request's references, last block first, so the free set receives a chain's tail before its prefix
     * and evicts it first (vLLM {@code free()}, reference §3.4).
     */
    void free(RequestState state) {
        for (int k = state.blockCount - 1; k >= 0; k--) {
            int id = state.blocks[k];
            int left = --refCounts[id];
            if (left == 0) {
                usedBlocks--;
                cache.release(id);
            } else if (left < 0) {
                throw new ServesimException(ErrorKind.INVARIANT, "KV block " + id + " released more often than taken,"
                        + " by request " + state.request.id());
            }
        }
        state.blockCount = 0;
        state.registeredBlocks = 0;
        state.offeredBlocks = 0;
    }

    /** Every block is either referenced or free in the strategy; cheap, checked after each step. */
    void checkInvariants() {
        int free = cache.freeBlocks();
        if (usedBlocks + free != totalBlocks) {
            throw new ServesimException(ErrorKind.INVARIANT, "KV blocks leaked: " + usedBlocks + " referenced + "
                    + free + " free != " + totalBlocks);
        }
    }

    private static void ensureCapacity(RequestState state, int blocks) {
        if (blocks > state.blocks.length) {
            state.blocks = Arrays.copyOf(state.blocks, Math.max(blocks, state.blocks.length * 2));
        }
    }
}
