package dev.servesim.workload;

import dev.servesim.api.ServesimException;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.workload.config.SharedPrefixConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The benchmark load of inference-perf's shared_prefix data generator: {@code groups x users} prompts, each a group's
 * system prompt followed by a user's question, shuffled once; request {@code n} uses prompt {@code n mod
 * (groups x users)}, so every prompt comes back and shares its system prompt within its group. Outputs are fixed at
 * {@code output_len} (benchmark clients send {@code ignore_eos}). Arrivals come from {@link StageArrivals}, one
 * ahead.
 */
final class SharedPrefixSource implements WorkloadSource {

    private static final long SYSTEM_TAG = ContentIds.tag("shared-prefix/system");
    private static final long QUESTION_TAG = ContentIds.tag("shared-prefix/question");

    private final SharedPrefixConfig config;
    private final WorkloadContext context;
    private final EventScheduler scheduler;
    private final StageArrivals arrivals;
    private final int[] promptOrder;
    private final String[] stageLabels;
    private long nextId;

    SharedPrefixSource(SharedPrefixConfig config, WorkloadContext context) {
        this.config = config;
        this.context = context;
        this.scheduler = context.scheduler();
        long total = (long) config.systemPromptLen() + config.questionLen() + config.outputLen();
        if (total > context.maxModelLen()) {
            throw ServesimException.config("workload.question_len", "system_prompt_len + question_len + output_len = "
                    + total + " tokens exceeds the serving engines' max_model_len of " + context.maxModelLen());
        }
        arrivals = new StageArrivals(config.effectiveStages(), config.loadType(), config.burstSize(),
                context.random().stream("arrivals"));
        promptOrder = shuffledPrompts(config.numUniqueSystemPrompts() * config.usersPerSystemPrompt(),
                context.random().stream("prompts"));
        stageLabels = new String[config.effectiveStages().size()];
        for (int i = 0; i < stageLabels.length; i++) {
            stageLabels[i] = "stage-" + i;
        }
    }

    @Override
    public void start() {
        scheduleNext();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("requests", nextId);
        return counters;
    }

    private void scheduleNext() {
        double at = arrivals.next();
        if (!Double.isNaN(at)) {
            scheduler.scheduleAt(at, this::arrive);
        }
    }

    private void arrive() {
        long id = nextId++;
        int prompt = promptOrder[(int) (id % promptOrder.length)];
        int group = prompt / config.usersPerSystemPrompt();
        Segment question = new Segment(ContentIds.of(QUESTION_TAG, prompt), config.questionLen());
        PromptContent content = config.systemPromptLen() == 0 ? PromptContent.of(question)
                : PromptContent.of(new Segment(ContentIds.of(SYSTEM_TAG, group), config.systemPromptLen()), question);
        context.submit(new Request(id, id, 1, scheduler.now(), content, config.outputLen(), 0,
                stageLabels[arrivals.stage()]));
        scheduleNext();
    }

    /** Prompt indices 0 .. count-1 in a random order (Fisher-Yates). */
    private static int[] shuffledPrompts(int count, RandomGenerator random) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
