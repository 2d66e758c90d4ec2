package dev.servesim.runner.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolTest {

    /** An engine of 16-token blocks that neither takes a cache strategy nor publishes cache events. */
    private static final ServingEngine QUIET = new ServingEngine() {
        @Override
        public void submit(Request request) {
        }

        @Override
        public EngineLoad load() {
            return new EngineLoad(0, 0, 0, 100);
        }

        @Override
        public EngineInfo info() {
            return new EngineInfo(100, 16, 4096, Map.of());
        }
    };

    @Test
    void aRouterReadingCachedPrefixesOfAnEngineThatPublishesNoneIsWarnedOnce() {
        Pool pool = new Pool("", 0);
        Replica.ChainSource chains = (request, blockSize) -> BlockHashChain.of(request.prompt(), blockSize);
        Replica quiet = new Replica(pool, 0, 0, chains);
        quiet.attach(QUIET);
        Replica publishing = new Replica(pool, 1, 1, chains);
        publishing.attach(QUIET);
        publishing.publish(new PublishedBlocks());
        pool.add(quiet);
        pool.add(publishing);
        Request request = Request.single(1, 0.0, PromptContent.of(new Segment(7, 64)), 4);

        pool.route((routed, replicas) -> replicas.get(1).cachedPrefixBlocks(routed), "reads-one");
        pool.choose(request);
        assertThat(pool.warnedUnpublished()).as("the publishing replica answers").isFalse();

        pool.route((routed, replicas) -> replicas.get(0).cachedPrefixBlocks(routed), "reads-other");
        assertThat(pool.choose(request)).isSameAs(quiet);
        assertThat(pool.warnedUnpublished()).isTrue();
        assertThat(pool.choose(request)).isSameAs(quiet);
    }
}
