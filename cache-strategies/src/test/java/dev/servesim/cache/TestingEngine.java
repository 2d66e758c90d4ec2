package dev.servesim.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import java.util.Arrays;

/**
 * Drives a strategy through the protocol exactly as the vLLM engine's BlockPool and scheduler do (reference counts,
 * block tables, lookups capped so one token is computed, registration at scheduling of the step that fills a block,
 * generated tokens appended to the chain, release last block first), and checks after every operation that the
 * strategy keeps the pool consistent: reference counts never go negative, a block is never handed out while
 * referenced, every block is free (with or without content) or referenced, and a hit always names a block that
 * physically holds the hit content.
 */
final class TestingEngine {

    private static final int[] NO_BLOCKS = new int[0];

    /** One admitted request, as the engine's RequestState. */
    static final class Sequence {
        final Request request;
        final BlockHashChain.Builder chain;
        final int maxOutputTokens;
        int[] blocks = new int[4];
        int blockCount;
        int registered;
        int computed;
        int outputs;
        String event = "";
        int hitTokens;
        boolean finished;

        Sequence(Request request, int blockSize) {
            this.request = request;
            this.chain = BlockHashChain.builder(blockSize).append(request.prompt());
            this.maxOutputTokens = request.maxOutputTokens();
        }

        int numTokens() {
            return request.promptTokens() + outputs;
        }
    }

    /** What running a request to completion gave. */
    record Outcome(String event, int hitTokens, int computedPromptTokens) {}

    private final KvCacheStrategy cache;
    private final int blocks;
    private final int blockSize;
    private final Runnable verify;
    private final int[] refCounts;
    private final long[] content;
    private final boolean[] hasContent;
    private int referenced;
    private long lastEvicted;
    private int lastPeak;

    TestingEngine(KvCacheStrategy cache, int blocks, int blockSize, Runnable verify) {
        this.cache = cache;
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.verify = verify;
        this.refCounts = new int[blocks];
        this.content = new long[blocks];
        this.hasContent = new boolean[blocks];
        checkInvariants();
    }

    KvCacheStrategy cache() {
        return cache;
    }

    int referencedBlocks() {
        return referenced;
    }

    /** Runs {@code request} alone: admission, the whole prompt in one step, then one decode step per output. */
    Outcome run(Request request) {
        Sequence sequence = new Sequence(request, blockSize);
        if (!admit(sequence, Integer.MAX_VALUE)) {
            throw new AssertionError("request " + request.id() + " does not fit the pool");
        }
        Outcome outcome = new Outcome(sequence.event, sequence.hitTokens,
                request.promptTokens() - sequence.hitTokens);
        while (!sequence.finished) {
            if (!advance(sequence, Integer.MAX_VALUE)) {
                throw new AssertionError("request " + request.id() + " ran out of blocks");
            }
        }
        return outcome;
    }

    /**
     * Admits a waiting (new or preempted) sequence: lookup, then blocks for the hits and a first chunk of at most
     * {@code chunkTokens} tokens, which is scheduled. False, changing nothing but the lookup statistics, if the free
     * blocks do not suffice.
     */
    boolean admit(Sequence sequence, int chunkTokens) {
        int maxHitBlocks = (sequence.numTokens() - 1) / blockSize;
        PrefixMatch match = cache.match(sequence.request, sequence.chain.build(), maxHitBlocks);
        int[] hits = match.blockIds();
        assertThat(hits.length).as("hit blocks").isLessThanOrEqualTo(maxHitBlocks);
        for (int k = 0; k < hits.length; k++) {
            int id = hits[k];
            assertThat(id).as("hit block id").isBetween(0, blocks - 1);
            assertThat(hasContent[id] && content[id] == sequence.chain.hash(k))
                    .as("block %d hit for position %d holds that content", id, k).isTrue();
        }
        int tokens = Math.min(chunkTokens, sequence.numTokens() - hits.length * blockSize);
        if (!allocateSlots(sequence, hits, tokens)) {
            checkInvariants();
            return false;
        }
        sequence.event = match.event();
        sequence.hitTokens = hits.length * blockSize;
        sequence.computed = sequence.hitTokens;
        schedule(sequence, tokens);
        return true;
    }

    /** Schedules one step of a running sequence: at most {@code chunkTokens} prompt tokens, or one decode token. */
    boolean advance(Sequence sequence, int chunkTokens) {
        int tokens = Math.min(chunkTokens, sequence.numTokens() - sequence.computed);
        if (!allocateSlots(sequence, NO_BLOCKS, tokens)) {
            checkInvariants();
            return false;
        }
        schedule(sequence, tokens);
        return true;
    }

    /** Drops a sequence's blocks (finish or preemption), last block first; a preempted one must be admitted again. */
    void free(Sequence sequence) {
        for (int k = sequence.blockCount - 1; k >= 0; k--) {
            int id = sequence.blocks[k];
            int left = --refCounts[id];
            assertThat(left).as("reference count of block %d", id).isNotNegative();
            if (left == 0) {
                referenced--;
                cache.release(id);
            }
        }
        sequence.blockCount = 0;
        sequence.registered = 0;
        sequence.computed = 0;
        checkInvariants();
    }

    private void schedule(Sequence sequence, int tokens) {
        sequence.computed += tokens;
        if (sequence.computed >= sequence.numTokens()) {
            sequence.chain.append(sequence.request.outputContentId(), sequence.outputs, 1);
            sequence.outputs++;
            if (sequence.outputs >= sequence.maxOutputTokens) {
                sequence.finished = true;
                free(sequence);
            }
        }
        checkInvariants();
    }

    // as BlockPool.allocateSlots (vLLM allocate_slots)
    private boolean allocateSlots(Sequence sequence, int[] hits, int newTokens) {
        int hitTokens = hits.length * blockSize;
        int slots = sequence.computed + hitTokens + newTokens;
        int newBlocks = Math.max(0, (slots + blockSize - 1) / blockSize - sequence.blockCount - hits.length);
        int evictableHits = 0;
        for (int id : hits) {
            if (refCounts[id] == 0) {
                evictableHits++;
            }
        }
        if (newBlocks + evictableHits > cache.freeBlocks()) {
            return false;
        }
        if (sequence.blocks.length < sequence.blockCount + hits.length + newBlocks) {
            sequence.blocks = Arrays.copyOf(sequence.blocks, 2 * (sequence.blockCount + hits.length + newBlocks));
        }
        for (int id : hits) {
            if (refCounts[id]++ == 0) {
                cache.acquire(id);
                referenced++;
            }
            sequence.blocks[sequence.blockCount++] = id;
        }
        sequence.registered += hits.length;
        for (int k = 0; k < newBlocks; k++) {
            int id = cache.allocate();
            assertThat(refCounts[id]).as("references of freshly allocated block %d", id).isZero();
            refCounts[id] = 1;
            referenced++;
            hasContent[id] = false;
            sequence.blocks[sequence.blockCount++] = id;
        }
        int cacheUpTo = Math.min(sequence.computed + hitTokens + newTokens, sequence.numTokens());
        int fullBlocks = Math.min(cacheUpTo / blockSize, sequence.blockCount);
        for (int index = sequence.registered; index < fullBlocks; index++) {
            int id = sequence.blocks[index];
            // the step that fills the block writes its KV: the block now physically holds this content
            content[id] = sequence.chain.hash(index);
            hasContent[id] = true;
            cache.register(id, sequence.request, sequence.chain.build(), index);
        }
        sequence.registered = Math.max(sequence.registered, fullBlocks);
        return true;
    }

    void checkInvariants() {
        assertThat(cache.freeBlocks() + referenced).as("free + referenced blocks").isEqualTo(blocks);
        CacheStats stats = cache.stats();
        assertThat(stats.hitTokens()).isBetween(0L, stats.queriedTokens());
        assertThat(stats.cachedBlocks()).isBetween(0, blocks);
        assertThat(stats.peakCachedBlocks()).isBetween(stats.cachedBlocks(), blocks);
        assertThat(stats.peakCachedBlocks()).isGreaterThanOrEqualTo(lastPeak);
        assertThat(stats.evictedBlocks()).isGreaterThanOrEqualTo(lastEvicted);
        lastPeak = stats.peakCachedBlocks();
        lastEvicted = stats.evictedBlocks();
        verify.run();
    }
}
