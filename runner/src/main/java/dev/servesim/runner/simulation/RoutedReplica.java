package dev.servesim.runner.simulation;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;

/** What the router sees of one replica; {@link #index()} is its position in its pool. */
final class RoutedReplica implements ReplicaView {
    final ReplicaPool pool;
    private final ChainSource chains;
    final int index;
    int running;
    int waiting;
    double kvUsage;
    double reportTime;
    int inFlight;
    long decisions;
    long outputTokens;
    long kvBytesPerToken;
    int blockSize;
    PublishedKvCache cache;

    RoutedReplica(ReplicaPool pool, int index, ChainSource chains) {
        this.pool = pool;
        this.index = index;
        this.chains = chains;
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
            return 0;
        }
        BlockHashChain hashes = chains.chainOf(request, blockSize);
        int blocks = hashes.fullBlocks();
        int cached = 0;
        while (cached < blocks && cache.published(hashes.hash(cached))) {
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
