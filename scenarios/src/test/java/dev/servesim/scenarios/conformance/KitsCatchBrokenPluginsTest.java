package dev.servesim.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.testing.conformance.KvCacheStrategyConformance;
import dev.servesim.testing.conformance.MetricSinkConformance;
import dev.servesim.testing.conformance.RouterConformance;
import dev.servesim.testing.conformance.WorkloadSourceConformance;
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

    @Test
    void aWorkloadSourceThatSubmitsLate(@TempDir Path folder) {
        WorkloadSourceConformance kit = new WorkloadSourceConformance() {
            @Override
            protected String workloadSection() {
                return "{source: broken-late}";
            }
        };

        assertThatThrownBy(() -> kit.submitsRequestsThatAreAllServed(folder))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("workload source 'broken-late' submitted request 1 at 0.5 s, but it arrives "
                        + "at 0.4 s");
    }

    @Test
    void aSinkThatWritesTheWallClock(@TempDir Path folder) {
        MetricSinkConformance kit = new MetricSinkConformance() {
            @Override
            protected String sinkSection() {
                return "{name: broken-clock}";
            }
        };

        assertThatThrownBy(() -> kit.writesTheSameFilesForTheSameSeed(folder))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("when.txt of a second run with the same seed");
    }
}
