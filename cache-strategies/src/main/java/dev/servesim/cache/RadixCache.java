package dev.servesim.cache;

import static dev.servesim.cache.ProtocolViolations.checkBlockId;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import java.util.Arrays;

/**
 * SGLang's radix cache (python/sglang/srt/mem_cache/radix_cache.py) at page granularity, one page per engine block:
 * a tree whose nodes are full blocks, each keyed by its chained block hash, so a node's hash names the whole path from
 * the root and the tree is kept as parent links and child counts. A running request holds (locks) its path: its
 * blocks are referenced and not free. Eviction takes the least recently accessed free leaf (a free block none of
 * whose children is cached); a parent whose last child is evicted becomes a leaf. A lookup and a registration refresh
 * the access time of the nodes they touch. Free blocks that hold no tree content (never registered, partial, or a
 * copy of content already in the tree) are reused first, oldest freed first, as SGLang frees such slots at once.
 *
 * <p>Unlike SGLang, the engine keeps a request's own copy of a block whose content another request put in the tree
 * first; that copy is not inserted and is reused as a plain free block once released.
 */
final class RadixCache implements KvCacheStrategy {

    private static final int NONE = -1;
    // free nodes with cached children sort after every free leaf; they are evicted only when no leaf is free
    private static final long INTERNAL = 1L << 62;

    private final int blocks;
    private final int blockSize;
    private final BlockHashIndex index;
    private final BlockQueue plainFree;
    private final BlockHeap cachedFree;
    private final boolean[] free;
    private final long[] lastAccess;
    private final int[] parent;
    private final int[] parentGeneration;
    private final int[] generation;
    private final int[] children;
    private final CacheCounters counters = new CacheCounters();
    private final CachedPrefix prefix;
    private long clock;

    RadixCache(int blocks, int blockSize) {
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.index = new BlockHashIndex(blocks);
        this.prefix = new CachedPrefix(index);
        this.plainFree = BlockQueue.allInIdOrder(blocks);
        this.cachedFree = new BlockHeap(blocks);
        this.free = new boolean[blocks];
        Arrays.fill(free, true);
        this.lastAccess = new long[blocks];
        this.parent = new int[blocks];
        Arrays.fill(parent, NONE);
        this.parentGeneration = new int[blocks];
        this.generation = new int[blocks];
        this.children = new int[blocks];
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        int limit = CachedPrefix.limit(chain, maxBlocks);
        int hits = prefix.find(chain, limit);
        // as SGLang match_prefix(): the matched path's access time is refreshed
        long now = ++clock;
        for (int k = 0; k < hits; k++) {
            touch(prefix.block(k), now);
        }
        counters.lookup(chain.tokens(), hits * blockSize);
        return prefix.match(hits, PrefixEvents.of(hits, limit));
    }

    @Override
    public int freeBlocks() {
        return plainFree.size() + cachedFree.size();
    }

    @Override
    public int allocate() {
        int block;
        if (!plainFree.isEmpty()) {
            block = plainFree.popHead();
        } else if (!cachedFree.isEmpty()) {
            block = cachedFree.poll();
            evict(block);
        } else {
            throw new IllegalStateException("no free KV block");
        }
        free[block] = false;
        return block;
    }

    @Override
    public void acquire(int blockId) {
        checkBlockId(blockId, blocks);
        if (!cachedFree.contains(blockId)) {
            throw ProtocolViolations.acquiredNotCachedFree(blockId);
        }
        cachedFree.remove(blockId);
        free[blockId] = false;
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        checkBlockId(blockId, blocks);
        if (free[blockId]) {
            throw ProtocolViolations.registeredFree(blockId);
        }
        if (index.isCached(blockId)) {
            throw ProtocolViolations.registeredTwice(blockId);
        }
        long now = ++clock;
        long hash = chain.hash(blockIndex);
        int existing = index.find(hash);
        if (existing >= 0) {
            // the tree already holds this content; keep its copy, as SGLang insert() does
            touch(existing, now);
            return;
        }
        int parentBlock = NONE;
        if (blockIndex > 0) {
            parentBlock = index.find(chain.hash(blockIndex - 1));
            if (parentBlock < 0) {
                // the parent's content left the tree (only possible for a request holding a copy): unreachable
                return;
            }
        }
        index.add(blockId, hash);
        counters.cached();
        lastAccess[blockId] = now;
        parent[blockId] = parentBlock;
        children[blockId] = 0;
        if (parentBlock != NONE) {
            parentGeneration[blockId] = generation[parentBlock];
            if (children[parentBlock]++ == 0 && cachedFree.contains(parentBlock)) {
                cachedFree.update(parentBlock, evictionKey(parentBlock));
            }
        }
    }

    @Override
    public void release(int blockId) {
        checkBlockId(blockId, blocks);
        if (free[blockId]) {
            throw ProtocolViolations.freedTwice(blockId);
        }
        free[blockId] = true;
        if (index.isCached(blockId)) {
            cachedFree.add(blockId, evictionKey(blockId));
        } else {
            plainFree.pushTail(blockId);
        }
    }

    @Override
    public CacheStats stats() {
        return counters.snapshot();
    }

    private void touch(int block, long now) {
        lastAccess[block] = now;
        if (cachedFree.contains(block)) {
            cachedFree.update(block, evictionKey(block));
        }
    }

    private long evictionKey(int block) {
        return children[block] > 0 ? INTERNAL + lastAccess[block] : lastAccess[block];
    }

    /** Removes {@code block}'s node from the tree; its parent may become an evictable leaf. */
    private void evict(int block) {
        index.remove(block);
        counters.evicted();
        int parentBlock = liveParent(block);
        if (parentBlock != NONE && --children[parentBlock] == 0 && cachedFree.contains(parentBlock)) {
            cachedFree.update(parentBlock, evictionKey(parentBlock));
        }
        // links of any remaining children to this node go stale (only after a fallback eviction of an inner node)
        generation[block]++;
        parent[block] = NONE;
        children[block] = 0;
    }

    private int liveParent(int block) {
        int parentBlock = parent[block];
        return parentBlock != NONE && generation[parentBlock] == parentGeneration[block] ? parentBlock : NONE;
    }

    /** Checks the internal state against itself; O(blocks), for tests. */
    void verify() {
        if (!cachedFree.isConsistent()) {
            throw ProtocolViolations.corrupted("eviction heap out of order");
        }
        int[] liveChildren = new int[blocks];
        int cached = 0;
        int freeCount = 0;
        for (int id = 0; id < blocks; id++) {
            boolean isCached = index.isCached(id);
            cached += isCached ? 1 : 0;
            freeCount += free[id] ? 1 : 0;
            if (free[id] && (isCached != cachedFree.contains(id) || isCached == plainFree.contains(id))) {
                throw ProtocolViolations.corrupted("free block " + id + " is in the wrong free set");
            }
            if (!free[id] && (cachedFree.contains(id) || plainFree.contains(id))) {
                throw ProtocolViolations.corrupted("referenced block " + id + " is in a free set");
            }
            if (isCached) {
                if (index.find(index.hashOf(id)) != id) {
                    throw ProtocolViolations.corrupted("tree holds two copies of block " + id + "'s content");
                }
                int parentBlock = liveParent(id);
                if (parentBlock != NONE) {
                    liveChildren[parentBlock]++;
                }
            }
        }
        for (int id = 0; id < blocks; id++) {
            if (index.isCached(id) && liveChildren[id] != children[id]) {
                throw ProtocolViolations.corrupted("block " + id + " counts " + children[id] + " children, has "
                        + liveChildren[id]);
            }
        }
        if (cached != counters.cachedBlocks() || freeCount != freeBlocks()) {
            throw ProtocolViolations.corrupted("counts disagree: cached " + cached + " free " + freeCount);
        }
    }
}
