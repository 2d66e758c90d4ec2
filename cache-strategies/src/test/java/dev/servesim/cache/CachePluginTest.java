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
import dev.servesim.cache.config.DisabledCacheConfig;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.testing.TestingPlugins;
import org.junit.jupiter.api.Test;

class CachePluginTest {

    @SuppressWarnings("unchecked")
    private static KvCacheStrategy disabled(int blocks) {
        ServesimPlugin plugin = TestingPlugins.plugin("cache");
        KvCacheStrategyFactory<DisabledCacheConfig> factory = (KvCacheStrategyFactory<DisabledCacheConfig>)
                TestingPlugins.factory(plugin, ServesimPlugin::kvCacheStrategyFactories, "disabled");
        return factory.create(TestingPlugins.defaultConfig(DisabledCacheConfig.class),
                new CacheContext(blocks, 16, 0, () -> 0, new SeededRandomStreams(1)));
    }

    @Test
    void neverMatchesEvenAfterRegistration() {
        KvCacheStrategy cache = disabled(8);
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
    void reusesFreedBlocksFirstInFirstOutAfterTheNeverUsedOnes() {
        KvCacheStrategy cache = disabled(4);
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
    void detectsDoubleRelease() {
        KvCacheStrategy cache = disabled(2);
        int block = cache.allocate();
        cache.release(block);
        assertThatThrownBy(() -> cache.release(block)).isInstanceOf(ServesimException.class)
                .hasMessageContaining("freed twice");
    }
}
