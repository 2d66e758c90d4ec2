package dev.servesim.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.cache.TestingEngine.Outcome;
import dev.servesim.cache.config.DisabledCacheConfig;
import dev.servesim.cache.config.SessionCacheConfig;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.testing.TestingPlugins;
import java.util.List;
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
            "session, MISS_FULL, 48, CONVERSATIONAL_HIT",
            "block-hash, MISS, 48, PARTIAL_HIT",
            "radix, MISS, 48, PARTIAL_HIT"})
    void runsTwoTurnsOfAConversationFromTheDefaultConfig(String name, String firstEvent, int secondHitTokens,
            String secondEvent) {
        KvCacheStrategy cache = create(name, 64);
        assertThat(cache.freeBlocks()).isEqualTo(64);
        TestingEngine engine = new TestingEngine(cache, 64, BLOCK, () -> { });
        Request first = new Request(1, 9, 1, 0, PromptContent.of(new Segment(1, 40)), 10, 0, "");
        Request second = new Request(2, 9, 2, 0, first.prompt().append(List.of(
                new Segment(first.outputContentId(), 10), new Segment(2, 20))), 5, 0, "");

        assertThat(engine.run(first)).isEqualTo(new Outcome(firstEvent, 0, 40));
        assertThat(engine.run(second)).isEqualTo(new Outcome(secondEvent, secondHitTokens, 70 - secondHitTokens));
        assertThat(engine.referencedBlocks()).isZero();
        assertThat(cache.freeBlocks()).isEqualTo(64);
        assertThat(cache.stats().queriedTokens()).isEqualTo(110);
        assertThat(cache.stats().hitTokens()).isEqualTo(secondHitTokens);
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
