package dev.servesim.cache;

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
import dev.servesim.cache.config.DisabledCacheConfig;
import dev.servesim.cache.config.SessionCacheConfig;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.testing.TestingPlugins;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CachePluginTest {

    private static final int BLOCK = 16;

    /** A strategy created the way the runner creates it: found through ServiceLoader, from its default config. */
    private static KvCacheStrategy create(String name, int blocks) {
        ServesimPlugin plugin = TestingPlugins.plugin("cache");
        return create(TestingPlugins.factory(plugin, ServesimPlugin::kvCacheStrategyFactories, name), blocks);
    }

    private static <C extends Record> KvCacheStrategy create(KvCacheStrategyFactory<C> factory, int blocks) {
        return factory.create(TestingPlugins.defaultConfig(factory.configType()),
                new CacheContext(blocks, BLOCK, 0, () -> 0, new SeededRandomStreams(1)));
    }

    @Test
    void offersEveryBuiltInStrategy() {
        ServesimPlugin plugin = TestingPlugins.plugin("cache");
        assertThat(plugin.kvCacheStrategyFactories()).extracting(KvCacheStrategyFactory::name)
                .containsExactly("disabled", "session", "block-hash", "radix");
        assertThat(plugin.kvCacheStrategyFactories()).allSatisfy(factory -> {
            assertThat(factory.description()).isNotBlank();
            assertThat(factory.configType().getPackageName()).isEqualTo("dev.servesim.cache.config");
        });
    }

    @ParameterizedTest
    @CsvSource({
            "disabled, MISS, 0, MISS",
            "session, MISS_FULL, 3, CONVERSATIONAL_HIT",
            "block-hash, MISS, 3, HIT",
            "radix, MISS, 3, HIT"})
    void servesTwoTurnsOfAConversationFromTheDefaultConfig(String name, String firstEvent, int secondHitBlocks,
            String secondEvent) {
        KvCacheStrategy cache = create(name, 8);
        assertThat(cache.freeBlocks()).isEqualTo(8);
        // the first turn's 48 tokens: nothing cached; it computes its 3 blocks and releases them, last first
        Request first = new Request(1, 9, 1, 0, PromptContent.single(1, 48), 1, 0, "");
        BlockHashChain firstChain = BlockHashChain.of(first.prompt(), BLOCK);
        PrefixMatch miss = cache.match(first, firstChain, 2);
        assertThat(miss.event()).isEqualTo(firstEvent);
        assertThat(miss.blocks()).isZero();
        int[] blocks = new int[3];
        for (int k = 0; k < blocks.length; k++) {
            blocks[k] = cache.allocate();
            cache.register(blocks[k], first, firstChain, k);
        }
        for (int k = blocks.length - 1; k >= 0; k--) {
            cache.release(blocks[k]);
        }
        assertThat(cache.freeBlocks()).isEqualTo(8);

        // the second turn repeats them and adds 8 tokens: its 3 full blocks may all hit
        Request second = new Request(2, 9, 2, 0, PromptContent.of(new Segment(1, 48), new Segment(2, 8)), 1, 0, "");
        PrefixMatch hit = cache.match(second, BlockHashChain.of(second.prompt(), BLOCK), 3);
        assertThat(hit.event()).isEqualTo(secondEvent);
        assertThat(hit.blockIds()).containsExactly(Arrays.copyOf(blocks, secondHitBlocks));
        for (int id : hit.blockIds()) {
            cache.acquire(id);
        }
        assertThat(cache.freeBlocks()).isEqualTo(8 - secondHitBlocks);
        for (int k = secondHitBlocks - 1; k >= 0; k--) {
            cache.release(hit.blockIds()[k]);
        }
        assertThat(cache.freeBlocks()).isEqualTo(8);
        assertThat(cache.stats().queriedTokens()).isEqualTo(48 + 56);
        assertThat(cache.stats().hitTokens()).isEqualTo(secondHitBlocks * BLOCK);
    }

    @Test
    void configDefaults() {
        assertThat(TestingPlugins.defaultConfig(SessionCacheConfig.class).crossSessionHits()).isTrue();
        assertThat(new SessionCacheConfig(false).crossSessionHits()).isFalse();
        assertThat(TestingPlugins.defaultConfig(DisabledCacheConfig.class)).isEqualTo(new DisabledCacheConfig());
    }

    @Test
    void disabledNeverMatchesEvenAfterRegistration() {
        KvCacheStrategy cache = create("disabled", 8);
        Request request = Request.single(1, 0, PromptContent.single(5, 64), 4);
        BlockHashChain chain = BlockHashChain.of(request.prompt(), 16);
        int block = cache.allocate();
        cache.register(block, request, chain, 0);
        cache.release(block);

        assertThat(cache.match(request, chain, 3).blocks()).isZero();
        assertThat(cache.match(request, chain, 3).event()).isEqualTo("MISS");
        assertThat(cache.stats().queriedTokens()).isEqualTo(128);
        assertThat(cache.stats().hitTokens()).isZero();
    }

    @Test
    void disabledReusesFreedBlocksFirstInFirstOutAfterTheNeverUsedOnes() {
        KvCacheStrategy cache = create("disabled", 4);
        int a = cache.allocate();
        int b = cache.allocate();
        int c = cache.allocate();
        assertThat(new int[] {a, b, c}).containsExactly(0, 1, 2);

        cache.release(b);
        cache.release(a);

        assertThat(cache.freeBlocks()).isEqualTo(3);
        assertThat(cache.allocate()).isEqualTo(3); // never used first
        assertThat(cache.allocate()).isEqualTo(1); // then in the order freed
        assertThat(cache.allocate()).isEqualTo(0);
        assertThat(cache.freeBlocks()).isZero();
        assertThatThrownBy(cache::allocate).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void disabledDetectsDoubleRelease() {
        KvCacheStrategy cache = create("disabled", 2);
        int block = cache.allocate();
        cache.release(block);
        assertThatThrownBy(() -> cache.release(block)).isInstanceOf(ServesimException.class)
                .hasMessageContaining("freed twice");
    }
}
