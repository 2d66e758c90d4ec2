package dev.servesim.examples.fifoprefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.examples.fifoprefix.config.FifoPrefixConfig;
import dev.servesim.testing.TestingPlugins;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FifoPrefixPluginTest {

    private static final int BLOCK = 4;

    @SuppressWarnings("unchecked")
    private static KvCacheStrategy create(FifoPrefixConfig config, int blocks) {
        ServesimPlugin plugin = TestingPlugins.plugin("cache-strategy-example");
        KvCacheStrategyFactory<FifoPrefixConfig> factory = (KvCacheStrategyFactory<FifoPrefixConfig>)
                TestingPlugins.factory(plugin, ServesimPlugin::kvCacheStrategyFactories, "fifo-prefix");
        return factory.create(config, new CacheContext(blocks, BLOCK, 0, () -> 0, new SeededRandomStreams(1)));
    }

    private static KvCacheStrategy create(int blocks) {
        return create(TestingPlugins.defaultConfig(FifoPrefixConfig.class), blocks);
    }

    /** Computes every full block of a prompt into fresh blocks, then frees them last block first, as the engine. */
    private static void computeAndFree(KvCacheStrategy cache, Request request) {
        BlockHashChain chain = BlockHashChain.of(request.prompt(), BLOCK);
        int[] ids = new int[chain.fullBlocks()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = cache.allocate();
            cache.register(ids[k], request, chain, k);
        }
        for (int k = ids.length - 1; k >= 0; k--) {
            cache.release(ids[k]);
        }
    }

    @Test
    void evictsTheOldestRegisteredBlockEvenRightAfterAHit() {
        KvCacheStrategy cache = create(4);
        Request a = Request.single(1, 0, PromptContent.single(1, 8), 1);
        computeAndFree(cache, a);
        computeAndFree(cache, Request.single(2, 0, PromptContent.single(2, 4), 1));

        PrefixMatch hit = cache.match(a, BlockHashChain.of(a.prompt(), BLOCK), 2);
        assertThat(hit.blockIds()).containsExactly(0, 1);
        assertThat(hit.event()).isEqualTo("HIT");
        cache.acquire(0);
        cache.acquire(1);
        cache.release(1);
        cache.release(0);

        // the empty block first, then by registration: a's blocks, although a was just used (LRU would take 2)
        assertThat(new int[] {cache.allocate(), cache.allocate(), cache.allocate(), cache.allocate()})
                .containsExactly(3, 0, 1, 2);
        assertThat(cache.stats().evictedBlocks()).isEqualTo(3);
        assertThat(cache.stats().peakCachedBlocks()).isEqualTo(3);
    }

    @Test
    void ignoresHitsShorterThanTheConfiguredMinimum() {
        KvCacheStrategy cache = create(new FifoPrefixConfig(2), 8);
        Request a = Request.single(1, 0, PromptContent.of(new Segment(1, 4), new Segment(2, 4)), 1);
        computeAndFree(cache, a);

        Request oneBlock = Request.single(2, 0, PromptContent.of(new Segment(1, 4), new Segment(3, 4)), 1);
        assertThat(cache.match(oneBlock, BlockHashChain.of(oneBlock.prompt(), BLOCK), 1).event()).isEqualTo("MISS");
        Request twoBlocks = Request.single(3, 0, a.prompt().append(List.of(new Segment(4, 1))), 1);
        assertThat(cache.match(twoBlocks, BlockHashChain.of(twoBlocks.prompt(), BLOCK), 2).blocks()).isEqualTo(2);
    }

    @Test
    void configDefaultsAndChecks() {
        assertThat(TestingPlugins.defaultConfig(FifoPrefixConfig.class).minHitBlocks()).isEqualTo(1);
        assertThatThrownBy(() -> new FifoPrefixConfig(0)).isInstanceOf(ServesimException.class)
                .hasMessage("min_hit_blocks: must be positive, got 0");
    }

    @Test
    void randomRequestsKeepEveryBlockFreeOrReferencedAndHitsTrue() {
        for (long seed = 1; seed <= 50; seed++) {
            runRandom(seed, 6 + (int) (seed % 20));
        }
    }

    /** A tiny engine: requests take hit blocks and fresh blocks, compute them, and free them last block first. */
    private static void runRandom(long seed, int blocks) {
        SplittableRandom random = new SplittableRandom(seed);
        KvCacheStrategy cache = create(blocks);
        int[] references = new int[blocks];
        long[] content = new long[blocks];
        List<int[]> running = new ArrayList<>();
        int referenced = 0;
        for (int step = 0; step < 300; step++) {
            if (random.nextInt(3) > 0 || running.isEmpty()) {
                PromptContent prompt = PromptContent.of(new Segment(1 + random.nextInt(3), 1 + random.nextInt(12)),
                        new Segment(10 + random.nextInt(5), 1 + random.nextInt(8)));
                Request request = Request.single(step, 0, prompt, 1);
                BlockHashChain chain = BlockHashChain.of(prompt, BLOCK);
                int[] hits = cache.match(request, chain, (prompt.tokens() - 1) / BLOCK).blockIds();
                int needed = (prompt.tokens() + BLOCK - 1) / BLOCK - hits.length;
                int evictableHits = 0;
                for (int k = 0; k < hits.length; k++) {
                    assertThat(content[hits[k]]).isEqualTo(chain.hash(k));
                    evictableHits += references[hits[k]] == 0 ? 1 : 0;
                }
                if (needed + evictableHits > cache.freeBlocks()) {
                    continue;
                }
                int[] table = new int[hits.length + needed];
                for (int k = 0; k < table.length; k++) {
                    int id = k < hits.length ? hits[k] : cache.allocate();
                    if (k < hits.length && references[id] == 0) {
                        cache.acquire(id);
                    }
                    assertThat(k < hits.length || references[id] == 0).isTrue();
                    referenced += references[id]++ == 0 ? 1 : 0;
                    table[k] = id;
                    if (k >= hits.length) {
                        // a fresh block holds nothing until this request's KV is written into it
                        content[id] = 0;
                        if (k < chain.fullBlocks()) {
                            content[id] = chain.hash(k);
                            cache.register(id, request, chain, k);
                        }
                    }
                }
                running.add(table);
            } else {
                int[] table = running.remove(random.nextInt(running.size()));
                for (int k = table.length - 1; k >= 0; k--) {
                    int left = --references[table[k]];
                    assertThat(left).isNotNegative();
                    if (left == 0) {
                        referenced--;
                        cache.release(table[k]);
                    }
                }
            }
            assertThat(cache.freeBlocks() + referenced).isEqualTo(blocks);
            assertThat(cache.stats().cachedBlocks()).isBetween(0, blocks);
        }
    }
}
