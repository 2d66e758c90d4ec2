package dev.servesim.testing.conformance;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;

/**
 * Passes every call between an engine and a cache strategy through, checking the protocol of {@link KvCacheStrategy}
 * on both sides. It keeps only what the protocol makes observable: which blocks requests reference (between
 * {@code allocate}/{@code acquire} and {@code release}) and which content each block holds (set by {@code register},
 * gone when {@code allocate} hands the block out again). The strategy must keep {@code freeBlocks()} equal to the
 * blocks nobody references, hand out only unreferenced blocks, name in a hit only blocks that hold that content, and
 * keep its statistics consistent; the engine must acquire, register and release only what the protocol allows.
 */
final class CheckedKvCacheStrategy implements KvCacheStrategy {

    private final KvCacheStrategy strategy;
    private final Checks checks;
    private final String name;
    private final int blocks;
    private final boolean[] referenced;
    private final boolean[] holdsContent;
    private final long[] content;
    private int referencedBlocks;
    private CacheStats lastStats = CacheStats.EMPTY;
    private long matches;
    private long hitBlocks;

    CheckedKvCacheStrategy(KvCacheStrategy strategy, Checks checks, String name, int replica, int blocks) {
        this.strategy = strategy;
        this.checks = checks;
        this.name = "cache strategy '" + name + "' (replica " + replica + ")";
        this.blocks = blocks;
        this.referenced = new boolean[blocks];
        this.holdsContent = new boolean[blocks];
        this.content = new long[blocks];
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        PrefixMatch match = strategy.match(request, chain, maxBlocks);
        matches++;
        if (match == null || match.blockIds() == null || match.event() == null || match.event().isEmpty()) {
            throw checks.fail(name + ": match() for request " + request.id() + " returned no match, no block list "
                    + "or no event (a miss is PrefixMatch.miss(event))");
        }
        int[] ids = match.blockIds();
        if (ids.length > maxBlocks || ids.length > chain.fullBlocks()) {
            throw checks.fail(name + ": match() for request " + request.id() + " returned " + ids.length
                    + " blocks, more than the " + Math.min(maxBlocks, chain.fullBlocks()) + " it may");
        }
        for (int k = 0; k < ids.length; k++) {
            int id = inPool(ids[k], "match()");
            if (!holdsContent[id] || content[id] != chain.hash(k)) {
                throw checks.fail(name + ": match() for request " + request.id() + " named block " + id
                        + " for block " + k + " of the prompt, but that block "
                        + (holdsContent[id] ? "holds other content" : "holds no registered content"));
            }
            for (int j = 0; j < k; j++) {
                if (ids[j] == id) {
                    throw checks.fail(name + ": match() named block " + id + " twice");
                }
            }
        }
        hitBlocks += ids.length;
        checkStats();
        return match;
    }

    @Override
    public int freeBlocks() {
        int free = strategy.freeBlocks();
        if (free != blocks - referencedBlocks) {
            throw checks.fail(name + ": freeBlocks() is " + free + " but " + (blocks - referencedBlocks) + " of "
                    + blocks + " blocks are referenced by no request");
        }
        return free;
    }

    @Override
    public int allocate() {
        if (referencedBlocks == blocks) {
            throw checks.fail(name + ": the engine called allocate() with no free block");
        }
        int id = inPool(strategy.allocate(), "allocate()");
        if (referenced[id]) {
            throw checks.fail(name + ": allocate() returned block " + id + ", which a request still references");
        }
        referenced[id] = true;
        referencedBlocks++;
        holdsContent[id] = false;
        freeBlocks();
        return id;
    }

    @Override
    public void acquire(int blockId) {
        int id = inPool(blockId, "acquire()");
        if (referenced[id] || !holdsContent[id]) {
            throw checks.fail(name + ": the engine acquired block " + id + ", which is "
                    + (referenced[id] ? "already referenced" : "a free block without cached content"));
        }
        strategy.acquire(id);
        referenced[id] = true;
        referencedBlocks++;
        freeBlocks();
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        int id = inPool(blockId, "register()");
        if (!referenced[id]) {
            throw checks.fail(name + ": the engine registered block " + id + ", which no request references");
        }
        if (blockIndex < 0 || blockIndex >= chain.fullBlocks()) {
            throw checks.fail(name + ": the engine registered block " + id + " as block " + blockIndex + " of a chain of "
                    + chain.fullBlocks() + " full blocks");
        }
        strategy.register(id, request, chain, blockIndex);
        holdsContent[id] = true;
        content[id] = chain.hash(blockIndex);
        freeBlocks();
    }

    @Override
    public void release(int blockId) {
        int id = inPool(blockId, "release()");
        if (!referenced[id]) {
            throw checks.fail(name + ": the engine released block " + id + ", which no request references");
        }
        strategy.release(id);
        referenced[id] = false;
        referencedBlocks--;
        freeBlocks();
    }

    @Override
    public CacheStats stats() {
        return checkStats();
    }

    /** Blocks still referenced: zero once every request ended. */
    int referencedBlocks() {
        return referencedBlocks;
    }

    int blocks() {
        return blocks;
    }

    long matches() {
        return matches;
    }

    long hitBlocks() {
        return hitBlocks;
    }

    String name() {
        return name;
    }

    private CacheStats checkStats() {
        CacheStats stats = strategy.stats();
        if (stats == null) {
            throw checks.fail(name + ": stats() returned null");
        }
        if (stats.hitTokens() < 0 || stats.hitTokens() > stats.queriedTokens()) {
            throw checks.fail(name + ": stats() has " + stats.hitTokens() + " hit tokens of "
                    + stats.queriedTokens() + " queried");
        }
        if (stats.cachedBlocks() < 0 || stats.cachedBlocks() > blocks
                || stats.peakCachedBlocks() < stats.cachedBlocks() || stats.peakCachedBlocks() > blocks) {
            throw checks.fail(name + ": stats() has " + stats.cachedBlocks() + " cached blocks and a peak of "
                    + stats.peakCachedBlocks() + " in a pool of " + blocks);
        }
        if (stats.queriedTokens() < lastStats.queriedTokens() || stats.hitTokens() < lastStats.hitTokens()
                || stats.evictedBlocks() < lastStats.evictedBlocks()
                || stats.peakCachedBlocks() < lastStats.peakCachedBlocks()) {
            throw checks.fail(name + ": stats() counters went down, from " + lastStats + " to " + stats);
        }
        lastStats = stats;
        return stats;
    }

    private int inPool(int id, String call) {
        if (id < 0 || id >= blocks) {
            throw checks.fail(name + ": " + call + " names block " + id + ", outside the pool of " + blocks);
        }
        return id;
    }
}
