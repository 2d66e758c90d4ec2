package {{package}};

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import {{package}}.config.{{prefix}}Config;

/**
 * Sends {@code requests} requests of {@value #PROMPT_TOKENS} prompt and {@value #OUTPUT_TOKENS} output tokens, one
 * every {@code 1 / rate} seconds from time 0. It schedules one arrival at a time, so memory stays flat however many
 * requests there are, and ends by scheduling nothing more. A real source draws sizes and gaps from
 * {@code context.random().stream(name)}, never from an unseeded generator.
 */
final class {{component}} implements WorkloadSource {

    static final int PROMPT_TOKENS = 512;
    static final int OUTPUT_TOKENS = 64;

    private final {{prefix}}Config config;
    private final WorkloadContext context;
    private int sent;

    {{component}}({{prefix}}Config config, WorkloadContext context) {
        this.config = config;
        this.context = context;
    }

    @Override
    public void start() {
        context.scheduler().scheduleAt(0, this::arrive);
    }

    private void arrive() {
        long id = sent;
        // every prompt has its own content, so no two requests share a cached prefix
        context.submit(Request.single(id, context.scheduler().now(), PromptContent.single(id, PROMPT_TOKENS),
                OUTPUT_TOKENS));
        sent++;
        if (sent < config.requests()) {
            // from the count, not by adding gaps, so that arrival times do not drift
            context.scheduler().scheduleAt(sent / config.rate(), this::arrive);
        }
    }
}
