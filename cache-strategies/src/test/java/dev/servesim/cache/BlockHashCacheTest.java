package dev.servesim.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import org.junit.jupiter.api.Test;

class BlockHashCacheTest {

    private static Request request(long id, PromptContent prompt, int outputs) {
        return Request.single(id, 0, prompt, outputs);
    }

    /** Allocates and registers one block per full block of {@code chain}, as a request computing it would. */
    private static int[] compute(BlockHashCache cache, Request request, BlockHashChain chain) {
        int[] ids = new int[chain.fullBlocks()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = cache.allocate();
            cache.register(ids[k], request, chain, k);
        }
        return ids;
    }

    private static int[] allocateAll(BlockHashCache cache) {
        int[] ids = new int[cache.freeBlocks()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = cache.allocate();
        }
        return ids;
    }

    @Test
    void reusesNeverUsedBlocksFirstThenTheLeastRecentlyFreedWithAChainsTailBeforeItsPrefix() {
        BlockHashCache cache = new BlockHashCache(6, 4);
        Request a = request(1, PromptContent.single(1, 12), 1);
        BlockHashChain chainA = BlockHashChain.of(a.prompt(), 4);
        int[] blocksA = compute(cache, a, chainA);
        Request b = request(2, PromptContent.single(2, 8), 1);
        int[] blocksB = compute(cache, b, BlockHashChain.of(b.prompt(), 4));
        assertThat(blocksA).containsExactly(0, 1, 2);
        assertThat(blocksB).containsExactly(3, 4);

        Protocol.releaseAll(cache, blocksA);
        Protocol.releaseAll(cache, blocksB);

        // vLLM's free queue is now 5 | 2 1 0 | 4 3
        assertThat(cache.allocate()).isEqualTo(5);
        assertThat(cache.stats().evictedBlocks()).isZero();
        assertThat(cache.allocate()).isEqualTo(2);
        assertThat(cache.stats().evictedBlocks()).isEqualTo(1);
        PrefixMatch afterTailEviction = cache.match(a, chainA, 3);
        assertThat(afterTailEviction.blockIds()).containsExactly(0, 1);
        assertThat(afterTailEviction.event()).isEqualTo("PARTIAL_HIT");
        assertThat(allocateAll(cache)).containsExactly(1, 0, 4, 3);
        assertThat(cache.stats()).isEqualTo(new CacheStats(12, 8, 5, 0, 5));
        cache.verify();
    }

    @Test
    void aHitTakesAFreeBlockOutOfTheQueueAndItsReleaseMakesItMostRecent() {
        BlockHashCache cache = new BlockHashCache(4, 4);
        Request a = request(1, PromptContent.single(1, 8), 1);
        BlockHashChain chainA = BlockHashChain.of(a.prompt(), 4);
        int[] blocksA = compute(cache, a, chainA);
        Request b = request(2, PromptContent.single(2, 4), 1);
        int[] blocksB = compute(cache, b, BlockHashChain.of(b.prompt(), 4));
        Protocol.releaseAll(cache, blocksA);
        Protocol.releaseAll(cache, blocksB);
        // queue: 3 | 1 0 | 2

        Request c = request(3, PromptContent.of(new Segment(1, 4), new Segment(3, 2)), 1);
        PrefixMatch hit = cache.match(c, BlockHashChain.of(c.prompt(), 4), 1);
        assertThat(hit.blockIds()).containsExactly(0);
        assertThat(hit.event()).isEqualTo("HIT");
        cache.acquire(0);
        assertThat(cache.freeBlocks()).isEqualTo(3);
        cache.release(0);

        assertThat(allocateAll(cache)).containsExactly(3, 1, 2, 0);
    }

    @Test
    void duplicatesAreKeptAndALookupFindsTheEarliestRegisteredCopyStillCached() {
        BlockHashCache cache = new BlockHashCache(4, 2);
        Request a = request(1, PromptContent.single(9, 4), 1);
        BlockHashChain chain = BlockHashChain.of(a.prompt(), 2);
        Request b = request(2, PromptContent.single(9, 4), 1);
        int first = cache.allocate();
        cache.register(first, a, chain, 0);
        int second = cache.allocate();
        cache.register(second, b, BlockHashChain.of(b.prompt(), 2), 0);
        assertThat(cache.stats().cachedBlocks()).isEqualTo(2);
        assertThat(cache.match(b, chain, 1).blockIds()).containsExactly(first);

        cache.release(first);
        cache.release(second);
        cache.allocate();
        cache.allocate();
        assertThat(cache.allocate()).isEqualTo(first);
        assertThat(cache.match(b, chain, 1).blockIds()).containsExactly(second);
        assertThat(cache.allocate()).isEqualTo(second);
        assertThat(cache.match(b, chain, 1).event()).isEqualTo("MISS");
        assertThat(cache.stats()).isEqualTo(new CacheStats(12, 4, 2, 0, 2));
        cache.verify();
    }

    @Test
    void rejectsProtocolViolations() {
        BlockHashCache cache = new BlockHashCache(2, 4);
        Request a = request(1, PromptContent.single(1, 8), 1);
        BlockHashChain chain = BlockHashChain.of(a.prompt(), 4);

        assertThatThrownBy(() -> cache.release(0)).isInstanceOf(ServesimException.class)
                .hasMessage("KV block 0 freed twice");
        assertThatThrownBy(() -> cache.acquire(0)).hasMessageContaining("is not a free block holding cached content");
        assertThatThrownBy(() -> cache.register(0, a, chain, 0)).hasMessageContaining("registered while free");
        int block = cache.allocate();
        cache.register(block, a, chain, 0);
        assertThatThrownBy(() -> cache.register(block, a, chain, 0)).hasMessageContaining("registered twice");
        assertThatThrownBy(() -> cache.acquire(block)).hasMessageContaining("not a free block");
        assertThatThrownBy(() -> cache.release(7)).isInstanceOf(ServesimException.class)
                .hasMessage("KV block 7 is outside the pool of 2 blocks")
                .extracting(e -> ((ServesimException) e).kind()).isEqualTo(ErrorKind.INVARIANT);
        cache.allocate();
        assertThatThrownBy(cache::allocate).isInstanceOf(IllegalStateException.class);
    }
}
