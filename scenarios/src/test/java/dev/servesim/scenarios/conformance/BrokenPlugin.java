package dev.servesim.scenarios.conformance;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.CacheStats;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Components that each break one rule of the contract, so that {@link KitsCatchBrokenPluginsTest} can show the kits
 * fail them. Found through ServiceLoader like any plugin; their names start with {@code broken-}.
 */
public final class BrokenPlugin implements ServesimPlugin {

    /** The broken components take no configuration. */
    public record NoConfig() {}

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
        return List.of(cache("broken-loses-blocks", false), cache("broken-false-hits", true));
    }

    @Override
    public List<RouterFactory<?>> routerFactories() {
        return List.of(new RouterFactory<NoConfig>() {
            @Override
            public Router create(NoConfig config, RouterContext context) {
                return new OffByOneRouter();
            }

            @Override
            public String name() {
                return "broken-off-by-one";
            }

            @Override
            public String description() {
                return "sends every seventh request past the last replica";
            }

            @Override
            public Class<NoConfig> configType() {
                return NoConfig.class;
            }
        });
    }

    @Override
    public List<WorkloadSourceFactory<?>> workloadSourceFactories() {
        return List.of(new WorkloadSourceFactory<NoConfig>() {
            @Override
            public WorkloadSource create(NoConfig config, WorkloadContext context) {
                // submits its one request a tenth of a second after the arrival time it gives it
                return () -> context.scheduler().scheduleAt(0.5, () -> context.submit(
                        Request.single(1, 0.4, PromptContent.single(1, 100), 10)));
            }

            @Override
            public String name() {
                return "broken-late";
            }

            @Override
            public String description() {
                return "submits a request after its arrival time";
            }

            @Override
            public Class<NoConfig> configType() {
                return NoConfig.class;
            }
        });
    }

    @Override
    public List<MetricSinkFactory<?>> metricSinkFactories() {
        return List.of(new MetricSinkFactory<NoConfig>() {
            @Override
            public MetricSink create(NoConfig config, SinkContext context) {
                return new MetricSink() {
                    @Override
                    public void onRunFinished(RunSummary summary) {
                        try {
                            // what a sink must never do: write something of the machine's
                            Files.writeString(context.outputDirectory().resolve("when.txt"),
                                    Long.toString(System.nanoTime()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                };
            }

            @Override
            public String name() {
                return "broken-clock";
            }

            @Override
            public String description() {
                return "writes the wall clock into its output";
            }

            @Override
            public Class<NoConfig> configType() {
                return NoConfig.class;
            }
        });
    }

    private static KvCacheStrategyFactory<NoConfig> cache(String name, boolean falseHits) {
        return new KvCacheStrategyFactory<>() {
            @Override
            public KvCacheStrategy create(NoConfig config, CacheContext context) {
                return new FifoCache(context.blocks(), falseHits);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return falseHits ? "claims a hit on a block it never cached" : "forgets every tenth released block";
            }

            @Override
            public Class<NoConfig> configType() {
                return NoConfig.class;
            }
        };
    }

    /** Caches nothing; reuses free blocks first in, first out; and has one bug. */
    private static final class FifoCache implements KvCacheStrategy {

        private final ArrayDeque<Integer> free = new ArrayDeque<>();
        private final boolean falseHits;
        private int releases;

        FifoCache(int blocks, boolean falseHits) {
            for (int id = 0; id < blocks; id++) {
                free.addLast(id);
            }
            this.falseHits = falseHits;
        }

        @Override
        public PrefixMatch match(Request request, BlockHashChain chain, int maxBlocks) {
            if (falseHits && maxBlocks > 0 && !free.isEmpty()) {
                return new PrefixMatch(new int[] {free.peekFirst()}, "HIT");
            }
            return PrefixMatch.miss("MISS");
        }

        @Override
        public int freeBlocks() {
            return free.size();
        }

        @Override
        public int allocate() {
            return free.removeFirst();
        }

        @Override
        public void acquire(int blockId) {
            free.remove(blockId);
        }

        @Override
        public void register(int blockId, Request request, BlockHashChain chain, int blockIndex) {}

        @Override
        public void release(int blockId) {
            if (falseHits || ++releases % 10 != 0) {
                free.addLast(blockId);
            }
        }

        @Override
        public CacheStats stats() {
            return CacheStats.EMPTY;
        }
    }

    private static final class OffByOneRouter implements Router {

        private long routed;

        @Override
        public int route(Request request, List<ReplicaView> replicas) {
            return ++routed % 7 == 0 ? replicas.size() : (int) (routed % replicas.size());
        }

        @Override
        public void onRequestDone(RequestRecord record) {}
    }
}
