package org.example.compat;

import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.StepRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.example.compat.config.CompatEngineConfig;

/**
 * Admits every request at once if its blocks fit (else rejects it): looks up its prompt in the cache strategy,
 * acquires the hits, allocates and registers the rest, gives the first token {@code ttft} later and one more every
 * {@code itl}, then releases its blocks last first.
 */
final class CompatEngine implements ServingEngine {

    private final CompatEngineConfig config;
    private final EngineContext context;
    private final CountingListener listener;
    private final KvCacheStrategy cache;
    private final int blockSize;
    private final int[] references;
    private int running;
    private int used;

    CompatEngine(CompatEngineConfig config, EngineContext context) {
        this.config = config;
        this.context = context;
        this.listener = new CountingListener(context.requests());
        this.blockSize = config.blockSizeTokens();
        this.cache = context.createKvCache(config.kvBlocks(), blockSize);
        this.references = new int[config.kvBlocks()];
    }

    @Override
    public void submit(Request request) {
        double now = context.scheduler().now();
        listener.onQueued(request, now);
        BlockHashChain chain = BlockHashChain.of(request.prompt(), blockSize);
        int total = (request.promptTokens() + request.maxOutputTokens() + blockSize - 1) / blockSize;
        PrefixMatch match = cache.match(request, chain, (request.promptTokens() - 1) / blockSize);
        int[] hits = match.blockIds();
        int evictable = 0;
        for (int id : hits) {
            evictable += references[id] == 0 ? 1 : 0;
        }
        if (total - hits.length + evictable > cache.freeBlocks()) {
            listener.onRejected(request, now, "no free KV blocks");
            return;
        }
        int[] blocks = new int[total];
        for (int k = 0; k < hits.length; k++) {
            if (references[hits[k]]++ == 0) {
                cache.acquire(hits[k]);
            }
            blocks[k] = hits[k];
        }
        for (int k = hits.length; k < total; k++) {
            blocks[k] = cache.allocate();
            references[blocks[k]]++;
        }
        for (int k = hits.length; k < chain.fullBlocks(); k++) {
            cache.register(blocks[k], request, chain, k);
        }
        used += total - hits.length + evictable;
        running++;
        int cached = hits.length * blockSize;
        listener.onScheduled(request, now, cached, match.event());
        context.scheduler().schedule(config.ttft(), () -> {
            double time = context.scheduler().now();
            listener.onPrefillChunk(request, time, request.promptTokens() - cached);
            listener.onTokens(request, time, 1);
            context.steps().accept(new StepRecord(context.replica(), time - config.ttft(), config.ttft(),
                    request.promptTokens() - cached, 1, 1, running, 0, used, config.kvBlocks(), 0));
            next(request, blocks, 1);
        });
    }

    private void next(Request request, int[] blocks, int generated) {
        if (generated == request.maxOutputTokens()) {
            for (int k = blocks.length - 1; k >= 0; k--) {
                if (--references[blocks[k]] == 0) {
                    cache.release(blocks[k]);
                    used--;
                }
            }
            running--;
            listener.onFinished(request, context.scheduler().now());
            return;
        }
        context.scheduler().schedule(config.itl(), () -> {
            listener.onTokens(request, context.scheduler().now(), 1);
            next(request, blocks, generated + 1);
        });
    }

    @Override
    public EngineLoad load() {
        return new EngineLoad(running, 0, used, config.kvBlocks());
    }

    @Override
    public EngineInfo info() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("engine", "compat");
        return new EngineInfo(config.kvBlocks(), blockSize, 0, properties);
    }

    @Override
    public Map<String, Long> counters() {
        return listener.counts();
    }
}
