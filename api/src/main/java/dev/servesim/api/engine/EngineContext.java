package dev.servesim.api.engine;

import dev.servesim.api.cache.KvCacheEvents;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine's only door into the simulator. The runner implements it; so may a test harness.
 *
 * <p>Every method is a default, as Trino's {@code ConnectorContext}: a harness implements what the engine under test
 * uses, and a service added in a later API version is one more default method, so it breaks neither engines built
 * against an earlier version nor harnesses. A service the implementation does not offer throws
 * {@link UnsupportedOperationException} naming it.
 */
public interface EngineContext {

    /** Index of this replica, 0 for a single engine. The default is 0. */
    default int replica() {
        return 0;
    }

    /** Clock and future-event queue. */
    default EventScheduler scheduler() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer EngineContext.scheduler()");
    }

    /** Random streams under {@code framework/<name>/<replica>}. */
    default RandomStreams random() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer EngineContext.random()");
    }

    /** Where lifecycle events of requests go. */
    default RequestListener requests() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer EngineContext.requests()");
    }

    /** Where each finished step is reported. */
    default Consumer<StepRecord> steps() {
        throw new UnsupportedOperationException(getClass().getName() + " does not offer EngineContext.steps()");
    }

    /**
     * Whether the run's requests come from real clients over real connections ({@code servesim serve}): the path
     * from the engine's output to its clients is then real, so an engine that models that path (vLLM's
     * detokenization and streaming) leaves it out, and its times are the server's own, as vLLM's histograms measure
     * them. The default is false: in a simulated run the engine's times are those its clients see. Since API 0.4.
     */
    default boolean realClients() {
        return false;
    }

    /**
     * Creates the KV cache strategy selected in the run's configuration ({@code cache.strategy}) for a pool of
     * {@code blocks} usable blocks of {@code blockSizeTokens} tokens. Engines that do not model KV memory never call
     * it.
     */
    default KvCacheStrategy createKvCache(int blocks, int blockSizeTokens) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not offer EngineContext.createKvCache(blocks, blockSizeTokens)");
    }

    /**
     * Where the engine publishes the blocks its own prefix cache stores and evicts, if anyone reads them (a router
     * that routes by cached prefixes); empty if nobody does, so the engine can skip the work. Only engines whose
     * prefix cache is not the {@link #createKvCache} strategy use it, and ask once, when they are created. The
     * default is empty (since API 0.6).
     */
    default Optional<KvCacheEvents> kvCacheEvents() {
        return Optional.empty();
    }
}
