package dev.servesim.workload;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.workload.config.PoissonConfig;
import java.util.random.RandomGenerator;

/**
 * Open-loop Poisson arrivals: exponential gaps with mean {@code 1/rate}, until the duration or the request count is
 * reached. Generates one arrival ahead, so memory does not grow with the length of the workload.
 */
final class PoissonSource implements WorkloadSource {

    private final PoissonConfig config;
    private final WorkloadContext context;
    private final RandomGenerator arrivals;
    private long sent;

    PoissonSource(PoissonConfig config, WorkloadContext context) {
        this.config = config;
        this.context = context;
        this.arrivals = context.random().stream("arrivals");
    }

    @Override
    public void start() {
        scheduleNext();
    }

    private void scheduleNext() {
        if (config.numRequests() != null && sent >= config.numRequests()) {
            return;
        }
        double at = context.scheduler().now() + arrivals.nextExponential() / config.rate();
        if (config.duration() != null && at > config.duration()) {
            return;
        }
        context.scheduler().scheduleAt(at, this::arrive);
    }

    private void arrive() {
        long id = sent++;
        // every prompt is unique content: nothing is shared between requests
        PromptContent prompt = PromptContent.single(contentId(id), config.promptTokens());
        context.submit(Request.single(id, context.scheduler().now(), prompt, config.outputTokens()));
        scheduleNext();
    }

    private static long contentId(long requestId) {
        return 0x504F4953_00000000L ^ requestId;
    }
}
