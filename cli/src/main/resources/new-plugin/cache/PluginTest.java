package {{package}};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.testing.TestingContexts;
import dev.servesim.testing.TestingPlugins;
import {{package}}.config.{{prefix}}Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class {{prefix}}PluginTest {

    private static final int BLOCKS = 4;
    private static final int BLOCK_SIZE = 16;

    /** Through ServiceLoader and the factory, as the runner creates it for one replica's pool. */
    private static KvCacheStrategy create({{prefix}}Config config) {
        ServesimPlugin plugin = TestingPlugins.plugin("{{name}}");
        KvCacheStrategyFactory<?> factory =
                TestingPlugins.factory(plugin, ServesimPlugin::kvCacheStrategyFactories, "{{name}}");
        assertThat(factory.configType()).isEqualTo({{prefix}}Config.class);
        return (({{component}}Factory) factory).create(config, TestingContexts.cache(BLOCKS, BLOCK_SIZE));
    }

    @Test
    void everyBlockIsFreeOrReferencedAsTheEngineDrivesThePool() {
        KvCacheStrategy cache = create(TestingPlugins.defaultConfig({{prefix}}Config.class));
        Request request = Request.single(1, 0, PromptContent.single(1, BLOCKS * BLOCK_SIZE), 8);
        BlockHashChain chain = BlockHashChain.of(request.prompt(), BLOCK_SIZE);

        // admission: look up the prefix, then allocate a block for each full block and register its content
        assertThat(cache.match(request, chain, chain.fullBlocks()).blocks()).isZero();
        int[] blocks = new int[BLOCKS];
        for (int k = 0; k < BLOCKS; k++) {
            blocks[k] = cache.allocate();
            cache.register(blocks[k], request, chain, k);
        }
        assertThat(blocks).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(cache.freeBlocks()).isZero();
        assertThatThrownBy(cache::allocate).isInstanceOf(IllegalStateException.class);

        // the request finishes: the engine releases every block, once
        for (int block : blocks) {
            cache.release(block);
        }
        assertThat(cache.freeBlocks()).isEqualTo(BLOCKS);
        assertThatThrownBy(() -> cache.release(blocks[0])).isInstanceOf(IllegalStateException.class);
        assertThat(cache.stats().queriedTokens()).isEqualTo(BLOCKS * BLOCK_SIZE);
        assertThat(cache.stats().hitTokens()).isZero();
    }

    @Test
    void freeBlocksAreReusedInTheConfiguredOrder() {
        for (String reuse : List.of({{prefix}}Config.FIFO, {{prefix}}Config.LIFO)) {
            KvCacheStrategy cache = create(new {{prefix}}Config(reuse));
            for (int k = 0; k < BLOCKS; k++) {
                cache.allocate();
            }
            for (int block : new int[] {2, 0, 3, 1}) {
                cache.release(block);
            }
            assertThat(cache.allocate()).as(reuse).isEqualTo(reuse.equals({{prefix}}Config.FIFO) ? 2 : 1);
        }
    }

    @Test
    void configurationDefaultsAndChecks() {
        assertThat(TestingPlugins.defaultConfig({{prefix}}Config.class).reuse()).isEqualTo("fifo");
        assertThatThrownBy(() -> new {{prefix}}Config("random")).isInstanceOf(ServesimException.class)
                .hasMessage("reuse: must be fifo or lifo, got random");
    }
}
