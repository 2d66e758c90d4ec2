package dev.servesim.runner.simulation;

import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.KvTransferSupport;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;

/**
 * One engine replica of a deployment: its engine, the cache events it publishes, the load it last reported and what
 * was routed to it. The router sees it as a {@link ReplicaView}; {@link #index()} is its position in its pool,
 * {@link #id()} its number in the whole deployment (the {@code replica} of requests.csv).
 */
final class Replica implements ReplicaView {

    private final Pool pool;
    private final int index;
    private final int id;
    private final ChainSource chains;
    private ServingEngine engine;
    private PublishedBlocks cache;
    private int blockSize;
    private KvTransferSupport kvTransfer;
    private int running;
    private int waiting;
    private double kvUsage;
    private double reportTime;
    private int inFlight;
    private long decisions;
    private long outputTokens;

    Replica(Pool pool, int index, int id, ChainSource chains) {
        this.pool = pool;
        this.index = index;
        this.id = id;
        this.chains = chains;
    }

    /** Set once, when the engine is created. */
    void attach(ServingEngine createdEngine) {
        engine = createdEngine;
        // groups may differ in block size; a router sees each replica's own
        blockSize = createdEngine.info().blockSizeTokens();
    }

    /**
     * The blocks the replica publishes as cached, if a router reads them; set when the engine creates its cache
     * strategy or asks where to publish its cache events.
     */
    void publish(PublishedBlocks published) {
        cache = published;
    }

    /** Set in a disaggregated deployment: the engine's ability to hand over and take in KV caches. */
    void supportKvTransfer(KvTransferSupport support) {
        kvTransfer = support;
    }

    KvTransferSupport kvTransfer() {
        return kvTransfer;
    }

    Pool pool() {
        return pool;
    }

    int id() {
        return id;
    }

    ServingEngine engine() {
        return engine;
    }

    long decisions() {
        return decisions;
    }

    long outputTokens() {
        return outputTokens;
    }

    /** The engine's load as the router will see it until the next report. */
    void report(double now) {
        EngineLoad load = engine.load();
        running = load.running();
        waiting = load.waiting();
        kvUsage = load.kvUsage();
        reportTime = now;
    }

    /** A request (or a prefill copy) was routed here. */
    void assigned() {
        decisions++;
        inFlight++;
    }

    /** A request (or a prefill copy) was pinned here: the router did not send it, so it is not in its count. */
    void received() {
        decisions++;
    }

    /**
     * A request left this replica (done, handed to a decode replica, or unfinished) after producing tokens.
     *
     * @param routed whether the router sent it here ({@link #assigned}), rather than a pin ({@link #received})
     */
    void left(long tokens, boolean routed) {
        if (routed) {
            inFlight--;
        }
        outputTokens += tokens;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int running() {
        return running;
    }

    @Override
    public int waiting() {
        return waiting;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public double kvUsage() {
        return kvUsage;
    }

    @Override
    public double reportTime() {
        return reportTime;
    }

    @Override
    public int cachedPrefixBlocks(Request request) {
        if (cache == null || blockSize == 0) {
            if (cache == null && blockSize > 0) {
                pool.askedUnpublished(this);
            }
            return 0;
        }
        BlockHashChain hashes = chains.chainOf(request, blockSize);
        int blocks = hashes.fullBlocks();
        int cached = 0;
        while (cached < blocks && cache.contains(hashes.hash(cached))) {
            cached++;
        }
        return cached;
    }

    @Override
    public int promptBlocks(Request request) {
        return blockSize == 0 ? 0 : request.promptTokens() / blockSize;
    }

    /** The block-hash chain of a request's prompt for a block size, computed once per request by the owner. */
    @FunctionalInterface
    interface ChainSource {
        BlockHashChain chainOf(Request request, int blockSize);
    }
}
