package dev.servesim.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.testing.conformance.KvCacheStrategyConformance;
import dev.servesim.testing.conformance.RouterConformance;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kits fail a plugin that breaks the contract, naming the component, the call and what was wrong. */
class KitsCatchBrokenPluginsTest {

    @Test
    void aCacheStrategyThatLosesReleasedBlocks(@TempDir Path folder) {
        KvCacheStrategyConformance kit = new KvCacheStrategyConformance() {
            @Override
            protected String cacheSection() {
                return "{strategy: broken-loses-blocks}";
            }
        };

        assertThatThrownBy(() -> kit.keepsTheBlockProtocolWithSmallPoolsAndChunkedPrefills(folder))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("cache strategy 'broken-loses-blocks' (replica 0): freeBlocks() is ")
                .hasMessageContaining("blocks are referenced by no request");
    }

    @Test
    void aCacheStrategyThatClaimsHitsOnBlocksItNeverCached(@TempDir Path folder) {
        KvCacheStrategyConformance kit = new KvCacheStrategyConformance() {
            @Override
            protected String cacheSection() {
                return "{strategy: broken-false-hits}";
            }
        };

        assertThatThrownBy(() -> kit.keepsEachReplicasPoolApart(folder))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("cache strategy 'broken-false-hits' (replica ")
                .hasMessageContaining("match() for request ")
                .hasMessageContaining("but that block holds no registered content");
    }

    @Test
    void aRouterThatChoosesAReplicaOutsideTheCluster(@TempDir Path folder) {
        RouterConformance kit = new RouterConformance() {
            @Override
            protected String routerSection() {
                return "{name: broken-off-by-one}";
            }
        };

        assertThatThrownBy(() -> kit.placesEveryRequestOnAReplicaOfTheCluster(folder))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("router 'broken-off-by-one' sent request ")
                .hasMessageContaining(" to replica 4 of 4 (0 to 3)");
    }
}
