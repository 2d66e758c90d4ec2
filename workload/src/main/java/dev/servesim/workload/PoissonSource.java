package dev.servesim.workload;

import dev.servesim.api.ServesimException;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.PoissonConfig;
import dev.servesim.workload.sampling.Sampler;
import dev.servesim.workload.sampling.Samplers;
import java.util.random.RandomGenerator;

/**
 * Open-loop Poisson arrivals: exponential gaps with mean {@code 1/rate}, until the duration or the request count is
 * reached. Generates one arrival ahead, so memory does not grow with the length of the workload.
 *
 * <p>Lengths are drawn from the streams {@code prompt} and {@code output}; a constant length draws nothing and opens
 * no stream, so a configuration with fixed lengths gives the requests it gave before lengths could vary.
 */
final class PoissonSource implements WorkloadSource {

    private final PoissonConfig config;
    private final WorkloadContext context;
    private final RandomGenerator arrivals;
    private final Length prompt;
    private final Length output;
    private long sent;

    PoissonSource(PoissonConfig config, WorkloadContext context) {
        this.config = config;
        this.context = context;
        this.arrivals = context.random().stream("arrivals");
        this.prompt = Length.of(config.promptTokens(), "workload.prompt_tokens", "prompt", context);
        this.output = Length.of(config.outputTokens(), "workload.output_tokens", "output", context);
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
        PromptContent content = PromptContent.single(contentId(id), prompt.draw());
        int drawn = output.draw();
        Integer limit = config.maxTokens();
        Request request = limit == null
                ? Request.single(id, context.scheduler().now(), content, drawn)
                : new Request(id, id, 1, context.scheduler().now(), content, Math.min(drawn, limit), 0, "", limit);
        context.submit(request);
        scheduleNext();
    }

    private static long contentId(long requestId) {
        return 0x504F4953_00000000L ^ requestId;
    }

    /** A token length: a fixed value, or draws of a distribution from its own stream. */
    private record Length(Sampler sampler, RandomGenerator random, int fixed) {

        static Length of(DistributionConfig distribution, String key, String stream, WorkloadContext context) {
            Sampler sampler = Samplers.compile(distribution, key);
            if (distribution.type().equals("constant")) {
                return new Length(sampler, null, Sampler.toTokens(distribution.value()));
            }
            if (!Double.isFinite(sampler.mean())) {
                throw ServesimException.config(key, "has no finite mean (a Pareto shape of 1 or less?); a token count"
                        + " needs one");
            }
            return new Length(sampler, context.random().stream(stream), 0);
        }

        int draw() {
            return random == null ? fixed : sampler.tokens(random);
        }
    }
}
