package dev.servesim.api.engine;

import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import java.util.function.Consumer;

/** The engine's only door into the simulator. */
public interface EngineContext {

    /** Index of this replica, 0 for a single engine. */
    int replica();

    /** Clock and future-event queue. */
    EventScheduler scheduler();

    /** Random streams under {@code framework/<name>/<replica>}. */
    RandomStreams random();

    /** Where lifecycle events of requests go. */
    RequestListener requests();

    /** Where each finished step is reported. */
    Consumer<StepRecord> steps();

    /**
     * Creates the KV cache strategy selected in the run's configuration ({@code cache.strategy}) for a pool of
     * {@code blocks} usable blocks of {@code blockSizeTokens} tokens. Engines that do not model KV memory never call
     * it.
     */
    KvCacheStrategy createKvCache(int blocks, int blockSizeTokens);
}
