package {{package}};

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;
import {{package}}.config.{{prefix}}Config;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Admits every request on arrival and computes its whole prompt at once; the first token comes
 * {@code token_latency} seconds after arrival and each further one {@code token_latency} seconds later. No batch
 * limit, no KV memory. It reports each request's life to {@link EngineContext#requests()} in the order the runner
 * expects (queued, scheduled, prompt computed, tokens, finished), which is all the runner measures.
 */
final class {{component}} implements ServingEngine {

    private final double tokenLatency;
    private final EngineContext context;
    private int running;

    {{component}}({{prefix}}Config config, EngineContext context) {
        this.tokenLatency = config.tokenLatency();
        this.context = context;
    }

    @Override
    public void submit(Request request) {
        double now = context.scheduler().now();
        context.requests().onQueued(request, now);
        context.requests().onScheduled(request, now, 0, "NONE");
        running++;
        context.scheduler().schedule(tokenLatency, () -> {
            context.requests().onPrefillChunk(request, context.scheduler().now(), request.promptTokens());
            token(request, 1);
        });
    }

    private void token(Request request, int generated) {
        context.requests().onTokens(request, context.scheduler().now(), 1);
        if (generated == request.maxOutputTokens()) {
            running--;
            context.requests().onFinished(request, context.scheduler().now());
        } else {
            context.scheduler().schedule(tokenLatency, () -> token(request, generated + 1));
        }
    }

    @Override
    public EngineLoad load() {
        return new EngineLoad(running, 0, 0, 0);
    }

    @Override
    public EngineInfo info() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("token_latency_s", Double.toString(tokenLatency));
        return new EngineInfo(0, 0, 0, properties);
    }
}
