package dev.servesim.cache;

import static dev.servesim.cache.ProtocolViolations.checkBlockId;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.Arrays;

/**
 * Conversational reuse keyed by session. Each session remembers its context: the chained block hashes of its most
 * recent request that registered content (prompt and generated tokens). A request's hit is the longest prefix of its
 * chain whose blocks are cached (optionally only within its own context); the event says how the request relates to
 * its session's context (see {@link #classify}).
 *
 * <p>Cached blocks occupy the engine's pool. Every cached block is owned by one session: the session of the request
 * that registered it, or the last session whose request registered content on top of it (a shared system prompt
 * moves to its most recent user). Free blocks holding no content are reused first, oldest freed first. When none is
 * left, the least recently used session that owns a free cached block loses all its free cached blocks at once
 * (whole-session eviction); they become plain free blocks. A session's recency is refreshed when a request of it
 * registers a block and when one of its blocks is acquired or released. A session that owns no block is forgotten.
 */
final class SessionCache implements KvCacheStrategy {

    static final String CONVERSATIONAL_HIT = "CONVERSATIONAL_HIT";
    static final String CONVERSATIONAL_MISS_UNEXPECTED_PROMPT = "CONVERSATIONAL_MISS_UNEXPECTED_PROMPT";
    static final String MISS_FULL = "MISS_FULL";
    static final String FULL_HIT_NO_PREFILL_NEEDED = "FULL_HIT_NO_PREFILL_NEEDED";
    static final String CROSS_REQUEST_HIT = "CROSS_REQUEST_HIT";

    private static final int NONE = -1;

    private final int blocks;
    private final int blockSize;
    private final boolean crossSessionHits;
    private final BlockHashIndex index;
    private final BlockQueue plainFree;
    private final boolean[] free;
    private final SessionEntry[] ownerOf;
    private final int[] ownedNext;
    private final int[] ownedPrev;
    private final Long2ObjectOpenHashMap<SessionEntry> sessions = new Long2ObjectOpenHashMap<>();
    private final CacheCounters counters = new CacheCounters();
    private final SessionRecency recency = new SessionRecency();
    private final CachedPrefix prefix;
    private int cachedFree;

    SessionCache(int blocks, int blockSize, boolean crossSessionHits) {
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.crossSessionHits = crossSessionHits;
        this.index = new BlockHashIndex(blocks);
        this.prefix = new CachedPrefix(index);
        this.plainFree = BlockQueue.allInIdOrder(blocks);
        this.free = new boolean[blocks];
        Arrays.fill(free, true);
        this.ownerOf = new SessionEntry[blocks];
        this.ownedNext = new int[blocks];
        this.ownedPrev = new int[blocks];
    }

    @Override
    public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
        SessionEntry session = sessions.get(request.sessionId());
        int fullBlocks = chain.fullBlocks();
        int shared = session == null ? 0 : session.sharedPrefix(chain);
        boolean aligned = chain.tokens() == fullBlocks * blockSize;
        // a block-aligned chain is walked one block past the engine's cap, to tell whether all of it is cached
        int limit = CachedPrefix.limit(chain, maxBlocks);
        int walk = aligned ? fullBlocks : limit;
        int reachable = prefix.find(chain, crossSessionHits ? walk : Math.min(walk, shared));
        int hits = Math.min(reachable, limit);
        counters.lookup(chain.tokens(), hits * blockSize);
        // every token lies in a cached block only if the chain is block-aligned and all its blocks are cached
        boolean fullyCached = aligned && reachable == fullBlocks;
        String event = classify(session, shared, fullBlocks, fullyCached, hits);
        return prefix.match(hits, event);
    }

    /**
     * The event of a lookup, first rule that applies:
     * <ol>
     *   <li>every token of the request lies in a cached block (a block-aligned prompt whose blocks are all cached):
     *       {@code FULL_HIT_NO_PREFILL_NEEDED}; the engine's cap still recomputes the last block, as vLLM does;
     *   <li>nothing is reused: {@code CONVERSATIONAL_MISS_UNEXPECTED_PROMPT} if the session has a context that the
     *       prompt does not continue, else {@code MISS_FULL} (first turn, or the session's blocks were evicted);
     *   <li>the prompt continues the session's context (starts with all of it, or lies within it):
     *       {@code CONVERSATIONAL_HIT};
     *   <li>the hit reaches past what the prompt shares with its own context, so other sessions' blocks serve it
     *       (a shared system prompt on a first turn): {@code CROSS_REQUEST_HIT};
     *   <li>otherwise the prompt diverges from its context and reuses only the part it shares with it:
     *       {@code CONVERSATIONAL_MISS_UNEXPECTED_PROMPT}.
     * </ol>
     */
    private static String classify(SessionEntry session, int shared, int fullBlocks, boolean fullyCached, int hits) {
        boolean continues = session != null && (shared == session.contextLength() || shared == fullBlocks);
        if (hits > 0 && fullyCached) {
            return FULL_HIT_NO_PREFILL_NEEDED;
        }
        if (hits == 0) {
            return session != null && !continues ? CONVERSATIONAL_MISS_UNEXPECTED_PROMPT : MISS_FULL;
        }
        if (continues) {
            return CONVERSATIONAL_HIT;
        }
        return hits > shared ? CROSS_REQUEST_HIT : CONVERSATIONAL_MISS_UNEXPECTED_PROMPT;
    }

    @Override
    public int freeBlocks() {
        return plainFree.size() + cachedFree;
    }

    @Override
    public int allocate() {
        if (plainFree.isEmpty()) {
            if (cachedFree == 0) {
                throw new IllegalStateException("no free KV block");
            }
            evictLeastRecentSession();
        }
        int block = plainFree.popHead();
        free[block] = false;
        return block;
    }

    @Override
    public void acquire(int blockId) {
        checkBlockId(blockId, blocks);
        SessionEntry owner = ownerOf[blockId];
        if (!free[blockId] || owner == null) {
            throw ProtocolViolations.acquiredNotCachedFree(blockId);
        }
        free[blockId] = false;
        owner.freeOwned--;
        cachedFree--;
        recency.touch(owner);
    }

    @Override
    public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {
        checkBlockId(blockId, blocks);
        if (free[blockId]) {
            throw ProtocolViolations.registeredFree(blockId);
        }
        if (ownerOf[blockId] != null) {
            throw ProtocolViolations.registeredTwice(blockId);
        }
        SessionEntry session = sessions.get(request.sessionId());
        if (session == null) {
            session = new SessionEntry(request.sessionId());
            sessions.put(request.sessionId(), session);
        }
        if (!session.continuesWith(request.id(), blockIndex)) {
            // a new request (or a resumed one) of this session: it now uses the blocks of its leading prefix
            for (int k = 0; k < blockIndex; k++) {
                int block = index.find(chain.hash(k));
                if (block >= 0) {
                    transfer(block, session);
                }
            }
        }
        session.setContext(request.id(), chain, blockIndex);
        index.add(blockId, chain.hash(blockIndex));
        counters.cached();
        linkOwned(blockId, session);
        recency.touch(session);
    }

    @Override
    public void release(int blockId) {
        checkBlockId(blockId, blocks);
        if (free[blockId]) {
            throw ProtocolViolations.freedTwice(blockId);
        }
        free[blockId] = true;
        SessionEntry owner = ownerOf[blockId];
        if (owner == null) {
            plainFree.pushTail(blockId);
        } else {
            owner.freeOwned++;
            cachedFree++;
            recency.touch(owner);
        }
    }

    @Override
    public CacheStats stats() {
        return counters.snapshot();
    }

    private void evictLeastRecentSession() {
        SessionEntry victim = recency.leastRecent();
        while (victim.freeOwned == 0) {
            victim = victim.moreRecent;
        }
        int block = victim.ownedHead;
        while (block != NONE) {
            int next = ownedNext[block];
            if (free[block]) {
                unlinkOwned(block, victim);
                index.remove(block);
                counters.evicted();
                victim.freeOwned--;
                cachedFree--;
                plainFree.pushTail(block);
            }
            block = next;
        }
        if (victim.ownedCount == 0) {
            forget(victim);
        }
    }

    private void transfer(int block, SessionEntry to) {
        SessionEntry from = ownerOf[block];
        if (from == to) {
            return;
        }
        unlinkOwned(block, from);
        linkOwned(block, to);
        if (free[block]) {
            from.freeOwned--;
            to.freeOwned++;
        }
        if (from.ownedCount == 0) {
            forget(from);
        }
    }

    private void linkOwned(int block, SessionEntry session) {
        ownerOf[block] = session;
        ownedNext[block] = NONE;
        ownedPrev[block] = session.ownedTail;
        if (session.ownedTail == NONE) {
            session.ownedHead = block;
        } else {
            ownedNext[session.ownedTail] = block;
        }
        session.ownedTail = block;
        session.ownedCount++;
    }

    private void unlinkOwned(int block, SessionEntry session) {
        int before = ownedPrev[block];
        int after = ownedNext[block];
        if (before == NONE) {
            session.ownedHead = after;
        } else {
            ownedNext[before] = after;
        }
        if (after == NONE) {
            session.ownedTail = before;
        } else {
            ownedPrev[after] = before;
        }
        ownerOf[block] = null;
        session.ownedCount--;
    }

    private void forget(SessionEntry session) {
        sessions.remove(session.sessionId);
        recency.remove(session);
    }

    /** Checks the internal state against itself; O(blocks + sessions), for tests. */
    void verify() {
        int ownedTotal = 0;
        int freeOwnedTotal = 0;
        for (SessionEntry session : sessions.values()) {
            if (session.ownedCount == 0) {
                throw ProtocolViolations.corrupted("session " + session.sessionId + " owns no block but is kept");
            }
            int count = 0;
            int freeCount = 0;
            for (int block = session.ownedHead; block != NONE; block = ownedNext[block]) {
                if (ownerOf[block] != session || !index.isCached(block)) {
                    throw ProtocolViolations.corrupted("block " + block + " listed under the wrong session");
                }
                count++;
                freeCount += free[block] ? 1 : 0;
            }
            if (count != session.ownedCount || freeCount != session.freeOwned) {
                throw ProtocolViolations.corrupted("session " + session.sessionId + " counts disagree");
            }
            ownedTotal += count;
            freeOwnedTotal += freeCount;
        }
        if (recency.size() != sessions.size()) {
            throw ProtocolViolations.corrupted(recency.size() + " sessions by recency, " + sessions.size() + " known");
        }
        int freeCount = 0;
        for (int block = 0; block < blocks; block++) {
            boolean cached = index.isCached(block);
            if (cached != (ownerOf[block] != null)) {
                throw ProtocolViolations.corrupted("block " + block + " cached without owner or the reverse");
            }
            if (plainFree.contains(block) != (free[block] && !cached)) {
                throw ProtocolViolations.corrupted("block " + block + " wrongly in or out of the plain free queue");
            }
            freeCount += free[block] ? 1 : 0;
        }
        if (ownedTotal != index.size() || ownedTotal != counters.cachedBlocks() || freeOwnedTotal != cachedFree
                || freeCount != freeBlocks()) {
            throw ProtocolViolations.corrupted("totals disagree: owned " + ownedTotal + ", cached " + index.size()
                    + ", free owned " + freeOwnedTotal + " vs " + cachedFree);
        }
    }
}
