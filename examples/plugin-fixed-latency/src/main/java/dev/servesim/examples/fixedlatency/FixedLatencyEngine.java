package dev.servesim.examples.fixedlatency;

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;
import dev.servesim.examples.fixedlatency.config.FixedLatencyConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every request is admitted at once; its first token comes {@code ttft} seconds after arrival and each further token
 * {@code itl} seconds after the previous one. No queueing, no KV memory.
 */
final class FixedLatencyEngine implements ServingEngine {

    private final FixedLatencyConfig config;
    private final EngineContext context;
    private int running;

    FixedLatencyEngine(FixedLatencyConfig config, EngineContext context) {
        this.config = config;
        this.context = context;
    }

    @Override
    public void submit(Request request) {
        double now = context.scheduler().now();
        context.requests().onQueued(request, now);
        context.requests().onScheduled(request, now, 0, "NONE");
        running++;
        context.scheduler().schedule(config.ttft(), () -> firstToken(request));
    }

    private void firstToken(Request request) {
        double now = context.scheduler().now();
        context.requests().onPrefillChunk(request, now, request.promptTokens());
        context.requests().onTokens(request, now, 1);
        nextToken(request, 1);
    }

    private void nextToken(Request request, int generated) {
        if (generated == request.maxOutputTokens()) {
            running--;
            context.requests().onFinished(request, context.scheduler().now());
            return;
        }
        context.scheduler().schedule(config.itl(), () -> {
            context.requests().onTokens(request, context.scheduler().now(), 1);
            nextToken(request, generated + 1);
        });
    }

    @Override
    public EngineLoad load() {
        return new EngineLoad(running, 0, 0, 0);
    }

    @Override
    public EngineInfo info() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("ttft_s", Double.toString(config.ttft()));
        properties.put("itl_s", Double.toString(config.itl()));
        return new EngineInfo(0, 0, 0, properties);
    }
}
