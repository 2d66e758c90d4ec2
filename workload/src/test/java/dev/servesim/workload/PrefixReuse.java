package dev.servesim.workload;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

/**
 * Prompt tokens an unbounded prefix cache could serve, computed from the requests' content: vLLM's rule - the
 * leading full blocks (of {@code blockSize} tokens) whose chained hash was computed before, at most
 * {@code (prompt - 1) / blockSize} blocks so at least one token is computed - then every full block is cached.
 */
final class PrefixReuse {

    private final int blockSize;
    private final LongOpenHashSet seen = new LongOpenHashSet();
    private long promptTokens;
    private long reusableTokens;

    PrefixReuse(int blockSize) {
        this.blockSize = blockSize;
    }

    void add(Request request) {
        BlockHashChain chain = BlockHashChain.of(request.prompt(), blockSize);
        int limit = (request.promptTokens() - 1) / blockSize;
        int hits = 0;
        while (hits < chain.fullBlocks() && hits < limit && seen.contains(chain.hash(hits))) {
            hits++;
        }
        for (int i = 0; i < chain.fullBlocks(); i++) {
            seen.add(chain.hash(i));
        }
        promptTokens += request.promptTokens();
        reusableTokens += (long) hits * blockSize;
    }

    long promptTokens() {
        return promptTokens;
    }

    long reusableTokens() {
        return reusableTokens;
    }

    double share() {
        return (double) reusableTokens / promptTokens;
    }
}
