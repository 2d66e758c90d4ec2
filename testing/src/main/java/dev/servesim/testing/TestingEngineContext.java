package dev.servesim.testing;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.core.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An engine context on a real {@link Simulation}, recording lifecycle events and steps. The KV cache strategy is a
 * real one found through {@link java.util.ServiceLoader} by name ({@code disabled} unless the test names another, so
 * {@code servesim-cache-strategies} must be on the test path), or whatever a test's {@link CacheFactory} creates.
 */
public final class TestingEngineContext implements EngineContext {

    /** Creates a cache strategy for a pool of (blocks, block size). */
    @FunctionalInterface
    public interface CacheFactory {
        KvCacheStrategy create(int blocks, int blockSizeTokens);
    }

    private final Simulation simulation = new Simulation();
    private final RecordingRequestListener requests = new RecordingRequestListener();
    private final List<StepRecord> steps = new ArrayList<>();
    private final RandomStreams random;
    private final CacheFactory cacheFactory;
    private KvCacheStrategy cache;
    private boolean realClients;

    /** Seed 1 and the {@code disabled} strategy, which caches nothing. */
    public TestingEngineContext() {
        this(1, "disabled");
    }

    /**
     * The cache strategy called {@code strategy} (e.g. {@code block-hash}) with its default configuration, created
     * with the pool's size as the runner creates it.
     */
    public TestingEngineContext(long seed, String strategy) {
        this.random = new SeededRandomStreams(seed).child("framework");
        requireNonNull(strategy, "strategy is null");
        RandomStreams cacheRandom = new SeededRandomStreams(seed).child("cache");
        // looked up when the engine asks, so engines without a KV cache need no strategy on the test path
        this.cacheFactory = (blocks, blockSize) -> TestingPlugins.createWithDefaults(
                TestingPlugins.cacheStrategy(strategy), new CacheContext(blocks, blockSize, 0, simulation, cacheRandom));
    }

    public TestingEngineContext(long seed, CacheFactory cacheFactory) {
        this.random = new SeededRandomStreams(seed).child("framework");
        this.cacheFactory = requireNonNull(cacheFactory, "cacheFactory is null");
    }

    /** Tells the engine that its requests come from real clients ({@link EngineContext#realClients}). */
    public TestingEngineContext withRealClients() {
        realClients = true;
        return this;
    }

    /** The simulation behind the scheduler; tests call {@code simulation().run(..)}. */
    public Simulation simulation() {
        return simulation;
    }

    /** Recorded lifecycle events. */
    public RecordingRequestListener recorded() {
        return requests;
    }

    /** Recorded steps, in order. */
    public List<StepRecord> recordedSteps() {
        return List.copyOf(steps);
    }

    /** The cache strategy the engine created, if it created one. */
    public KvCacheStrategy cache() {
        return cache;
    }

    @Override
    public int replica() {
        return 0;
    }

    @Override
    public EventScheduler scheduler() {
        return simulation;
    }

    @Override
    public RandomStreams random() {
        return random;
    }

    @Override
    public RequestListener requests() {
        return requests;
    }

    @Override
    public Consumer<StepRecord> steps() {
        return steps::add;
    }

    @Override
    public boolean realClients() {
        return realClients;
    }

    @Override
    public KvCacheStrategy createKvCache(int blocks, int blockSizeTokens) {
        cache = cacheFactory.create(blocks, blockSizeTokens);
        return cache;
    }

}
