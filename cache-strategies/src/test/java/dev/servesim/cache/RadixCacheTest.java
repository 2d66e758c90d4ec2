package dev.servesim.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import org.junit.jupiter.api.Test;

class RadixCacheTest {

    private static final int BLOCK = 4;
    private static final Segment SHARED = new Segment(1, 8);
    private static final int[] NO_HITS = new int[0];

    private static Request request(long id, PromptContent prompt) {
        return Request.single(id, 0, prompt, 1);
    }

    private static BlockHashChain chain(Request request) {
        return BlockHashChain.of(request.prompt(), BLOCK);
    }

    private static int[] hold(RadixCache cache, Request request, BlockHashChain chain, int[] hits) {
        return Protocol.hold(cache, request, chain, hits);
    }

    private static int[] allocateAll(RadixCache cache) {
        int[] ids = new int[cache.freeBlocks()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = cache.allocate();
        }
        return ids;
    }

    /** Tree: 0 - 1 - {2 (request a), 3 (request b)}; blocks 4, 5, 6 never used. */
    private static RadixCache twoBranches(Request a, Request b) {
        RadixCache cache = new RadixCache(7, BLOCK);
        // each lookup may return (12 - 1) / 4 = 2 blocks, as the engine asks
        BlockHashChain chainA = chain(a);
        assertThat(cache.match(a, chainA, 2).event()).isEqualTo("MISS");
        int[] blocksA = hold(cache, a, chainA, NO_HITS);
        assertThat(blocksA).containsExactly(0, 1, 2);
        Protocol.releaseAll(cache, blocksA);

        BlockHashChain chainB = chain(b);
        PrefixMatch hit = cache.match(b, chainB, 2);
        assertThat(hit.blockIds()).containsExactly(0, 1);
        assertThat(hit.event()).isEqualTo("HIT");
        int[] blocksB = hold(cache, b, chainB, hit.blockIds());
        assertThat(blocksB).containsExactly(0, 1, 3);
        Protocol.releaseAll(cache, blocksB);
        assertThat(cache.stats().cachedBlocks()).isEqualTo(4);
        cache.verify();
        return cache;
    }

    @Test
    void evictsTheLeastRecentlyUsedLeafFirstAndAParentOnceItsLastChildIsGone() {
        Request a = request(1, PromptContent.of(SHARED, new Segment(2, 4)));
        Request b = request(2, PromptContent.of(SHARED, new Segment(3, 4)));
        RadixCache cache = twoBranches(a, b);

        // plain free blocks first, then leaf 2 (a's, older), leaf 3, then 1 and 0 as they become leaves
        assertThat(allocateAll(cache)).containsExactly(4, 5, 6, 2, 3, 1, 0);
        assertThat(cache.stats()).isEqualTo(new CacheStats(24, 8, 4, 0, 4));
    }

    @Test
    void aLookupRefreshesTheMatchedPath() {
        Request a = request(1, PromptContent.of(SHARED, new Segment(2, 4)));
        Request b = request(2, PromptContent.of(SHARED, new Segment(3, 4)));
        RadixCache cache = twoBranches(a, b);

        Request again = request(3, PromptContent.of(SHARED, new Segment(2, 5)));
        assertThat(cache.match(again, chain(again), 3).blockIds()).containsExactly(0, 1, 2);

        assertThat(allocateAll(cache)).containsExactly(4, 5, 6, 3, 2, 1, 0);
        cache.verify();
    }

    @Test
    void freeBlocksWithoutTreeContentAreReusedBeforeAnyEviction() {
        RadixCache cache = new RadixCache(3, BLOCK);
        Request a = request(1, PromptContent.single(1, 4));
        Protocol.releaseAll(cache, hold(cache, a, chain(a), NO_HITS));
        Request b = request(2, PromptContent.single(2, 2));
        Protocol.releaseAll(cache, hold(cache, b, chain(b), NO_HITS));
        // block 0 holds request a's block; block 1 held request b's partial block
        cache.verify();

        assertThat(allocateAll(cache)).containsExactly(2, 1, 0);
        assertThat(cache.stats().evictedBlocks()).isEqualTo(1);
    }

    @Test
    void contentAlreadyInTheTreeIsNotInsertedAgain() {
        RadixCache cache = new RadixCache(4, 2);
        Request a = request(1, PromptContent.single(9, 4));
        Request b = request(2, PromptContent.single(9, 4));
        BlockHashChain chain = BlockHashChain.of(a.prompt(), 2);
        int first = cache.allocate();
        cache.register(first, a, chain, 0);
        int copy = cache.allocate();
        cache.register(copy, b, BlockHashChain.of(b.prompt(), 2), 0);
        assertThat(cache.stats().cachedBlocks()).isEqualTo(1);
        assertThat(cache.match(b, chain, 1).blockIds()).containsExactly(first);

        cache.release(copy);
        cache.release(first);
        cache.verify();
        // the copy went back as a plain free block
        assertThat(allocateAll(cache)).containsExactly(2, 3, copy, first);
    }

    @Test
    void aFreeInnerNodeAboveAReferencedCopyIsEvictedWhenNoLeafIsFree() {
        RadixCache cache = new RadixCache(3, 2);
        Request a = request(1, PromptContent.single(9, 4));
        Request b = request(2, PromptContent.single(9, 6));
        BlockHashChain chainA = BlockHashChain.of(a.prompt(), 2);
        BlockHashChain chainB = BlockHashChain.of(b.prompt(), 2);
        int a0 = cache.allocate();
        cache.register(a0, a, chainA, 0);
        // b computed its first block concurrently (a copy, not inserted) and hangs its second one under a's
        int b0 = cache.allocate();
        cache.register(b0, b, chainB, 0);
        int b1 = cache.allocate();
        cache.register(b1, b, chainB, 1);
        cache.release(a0);
        cache.verify();

        // only a0 is free: an inner node whose child b1 is referenced
        assertThat(cache.freeBlocks()).isEqualTo(1);
        assertThat(cache.allocate()).isEqualTo(a0);
        cache.verify();
        assertThat(cache.match(b, chainB, 2).event()).isEqualTo("MISS");
    }
}
