package dev.servesim.testing;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.sim.SimClock;
import dev.servesim.core.SeededRandomStreams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Contexts for tests of cache strategies, routers and sinks, whose contexts are values (engines and workload sources
 * have {@link TestingEngineContext} and {@link TestingWorkloadContext}). Clocks stand at 0 and random streams come
 * from seed 1 under the component's prefix, as in a run.
 */
public final class TestingContexts {

    private static final SimClock START = () -> 0;

    private TestingContexts() {}

    /** The context of a cache strategy over a pool of {@code blocks} blocks of {@code blockSizeTokens} tokens. */
    public static CacheContext cache(int blocks, int blockSizeTokens) {
        return new CacheContext(blocks, blockSizeTokens, 0, START, new SeededRandomStreams(1).child("cache"));
    }

    /** The context of a router in front of {@code replicas} replicas with 16-token KV blocks. */
    public static RouterContext router(int replicas) {
        return new RouterContext(replicas, 16, START, new SeededRandomStreams(1).child("router"));
    }

    /**
     * Views of {@code replicas} replicas that report no load, no request in flight and nothing cached, indexed by
     * position as a router receives them. Unlike {@link TestingReplicaView#cluster}, whose views report fixed prompt
     * blocks, these count a request's full 16-token blocks as a replica would; views with load or cached prefixes
     * are {@link TestingReplicaView} values.
     */
    public static List<ReplicaView> idleReplicas(int replicas) {
        List<ReplicaView> views = new ArrayList<>();
        for (int index = 0; index < replicas; index++) {
            views.add(new IdleReplica(index));
        }
        return List.copyOf(views);
    }

    /**
     * The context of a sink of run {@code test-run} that writes into {@code outputDirectory}; its configuration is
     * {@code name: test-run}.
     */
    public static SinkContext sink(Path outputDirectory) {
        return new Sink("test-run", requireNonNull(outputDirectory, "outputDirectory is null"), START,
                "name: test-run\n");
    }

    private record Sink(String runName, Path outputDirectory, SimClock clock, String configurationYaml)
            implements SinkContext {}

    private record IdleReplica(int index) implements ReplicaView {

        @Override
        public int running() {
            return 0;
        }

        @Override
        public int waiting() {
            return 0;
        }

        @Override
        public int inFlight() {
            return 0;
        }

        @Override
        public double kvUsage() {
            return 0;
        }

        @Override
        public double reportTime() {
            return 0;
        }

        @Override
        public int cachedPrefixBlocks(Request request) {
            return 0;
        }

        @Override
        public int promptBlocks(Request request) {
            return request.promptTokens() / 16;
        }
    }
}
