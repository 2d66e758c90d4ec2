package {{package}};

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import {{package}}.config.{{prefix}}Config;

/**
 * A KV cache strategy that caches nothing: every lookup is a miss, and free blocks are reused in the configured order.
 * It keeps the protocol of {@link KvCacheStrategy} - a block is either free or referenced, never released twice, never
 * allocated from an empty pool - which is where a real strategy starts: index content in {@link #register} and find
 * it in {@link #match}.
 */
final class {{component}} implements KvCacheStrategy {

    /** Free block ids in a ring, the one released longest ago at {@code head}. */
    private final int[] free;
    private final boolean[] isFree;
    private final boolean lastInFirstOut;
    private int head;
    private int freeCount;
    private long queriedTokens;

    {{component}}({{prefix}}Config config, CacheContext context) {
        lastInFirstOut = config.reuse().equals({{prefix}}Config.LIFO);
        free = new int[context.blocks()];
        isFree = new boolean[context.blocks()];
        for (int id = 0; id < context.blocks(); id++) {
            free[id] = id;
            isFree[id] = true;
        }
        freeCount = context.blocks();
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        queriedTokens += request.promptTokens();
        return PrefixMatch.miss("MISS");
    }

    @Override
    public int freeBlocks() {
        return freeCount;
    }

    @Override
    public int allocate() {
        if (freeCount == 0) {
            throw new IllegalStateException("no free block");
        }
        int id;
        if (lastInFirstOut) {
            id = free[(head + freeCount - 1) % free.length];
        } else {
            id = free[head];
            head = (head + 1) % free.length;
        }
        freeCount--;
        isFree[id] = false;
        return id;
    }

    @Override
    public void acquire(int blockId) {
        // match() never returns a block, so the engine has none to acquire
        throw new IllegalStateException("block " + blockId + " was never matched: this strategy caches nothing");
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        if (isFree[blockId]) {
            throw new IllegalStateException("block " + blockId + " is free; only a referenced block gets content");
        }
    }

    @Override
    public void release(int blockId) {
        if (isFree[blockId]) {
            throw new IllegalStateException("block " + blockId + " released twice");
        }
        isFree[blockId] = true;
        free[(head + freeCount) % free.length] = blockId;
        freeCount++;
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(queriedTokens, 0, 0, 0, 0);
    }
}
