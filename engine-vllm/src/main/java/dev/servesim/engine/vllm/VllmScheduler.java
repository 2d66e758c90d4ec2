package dev.servesim.engine.vllm;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.RequestListener;
import dev.servesim.engine.vllm.config.SchedulingPolicy;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * vLLM V1's scheduler (vllm/v1/core/sched/scheduler.py and async_scheduler.py, v0.15): no prefill or decode phases,
 * every step brings each request's computed tokens towards its token count within a token budget, chunking
 * prefills; running requests first, then waiting ones; recompute preemption when KV blocks run out.
 *
 * <p>{@link #schedule} plans a step ({@link StepPlan}); {@link #update} applies a step's outputs when it ends. Under
 * asynchronous scheduling the next step is planned while the previous one is still executing: a step that samples a
 * token for a request leaves an output placeholder on it (vLLM's {@code num_output_placeholders}), so the next plan
 * already schedules the token after it, and a request whose remaining outputs are all in flight is not scheduled
 * again. Finished requests leave every structure at the end of their last step.
 *
 * <p>With a CPU KV tier, a waiting request whose blocks after the GPU prefix hit are on the CPU takes GPU blocks for
 * them, computes nothing, and waits in the queue while they are copied (vLLM's WAITING_FOR_REMOTE_KVS, reference
 * §5); the first scheduling pass after the copy is done admits it with the loaded tokens computed.
 */
final class VllmScheduler {

    private static final int[] NO_BLOCKS = new int[0];
    /** Cache event of an admission that found blocks in the CPU tier. */
    static final String CPU_HIT = CpuLoads.CPU_HIT;

    private final int maxNumSeqs;
    private final int maxNumBatchedTokens;
    private final int maxModelLen;
    private final int longPrefillTokenThreshold;
    private final int blockSize;
    private final boolean priorityPolicy;
    private final BlockPool pool;
    private final KvCacheStrategy cache;
    private final CpuKvTier cpu;
    private final RequestListener listener;

    /** vLLM's {@code running}: admission order; new and resumed requests are appended. */
    private final ArrayList<RequestState> running = new ArrayList<>();
    private final WaitingQueue waiting;
    private final CpuLoads loads;
    /** Waiting requests passed over in this pass (copy in flight); they go back to the head of the queue. */
    private RequestState[] skipped = new RequestState[8];
    private int skippedCount;

    // the step being planned by schedule(), in scheduling order
    private RequestState[] scheduled = new RequestState[64];
    private int scheduledCount;
    private int preemptions;
    /** At most two steps are alive: the executing one and, with asynchronous scheduling, the next one. */
    private final StepPlan[] plans = {new StepPlan(), new StepPlan()};
    // outputs of the last update()
    private int prefillTokens;
    private int decodeTokens;

    VllmScheduler(int maxNumSeqs, int maxNumBatchedTokens, int maxModelLen, int longPrefillTokenThreshold,
            int blockSize, SchedulingPolicy schedulingPolicy, BlockPool pool, KvCacheStrategy cache, CpuKvTier cpu,
            RequestListener listener) {
        this.maxNumSeqs = maxNumSeqs;
        this.maxNumBatchedTokens = maxNumBatchedTokens;
        this.maxModelLen = maxModelLen;
        this.longPrefillTokenThreshold = longPrefillTokenThreshold;
        this.blockSize = blockSize;
        this.priorityPolicy = schedulingPolicy == SchedulingPolicy.PRIORITY;
        this.waiting = WaitingQueue.forPolicy(schedulingPolicy);
        this.pool = pool;
        this.cache = cache;
        this.cpu = cpu;
        this.loads = new CpuLoads(cpu, pool, blockSize);
        this.listener = listener;
    }

    /** A new request enters the waiting queue. */
    void add(RequestState state) {
        waiting.add(state);
    }

    boolean hasWork() {
        return !running.isEmpty() || !waiting.isEmpty();
    }

    int running() {
        return running.size();
    }

    int waiting() {
        return waiting.size();
    }

    /** The copies from the CPU tier that waiting requests hold blocks for. */
    CpuLoads loads() {
        return loads;
    }

    /** Prompt or recomputed tokens computed by the last step {@link #update} applied. */
    int prefillTokens() {
        return prefillTokens;
    }

    /** Output tokens fed back (decodes) in the last step {@link #update} applied. */
    int decodeTokens() {
        return decodeTokens;
    }

    /**
     * Plans one step at time {@code now}: reports admissions and preemptions, allocates KV blocks, advances the
     * computed tokens of every scheduled request (vLLM advances them at schedule time) and returns the plan, which
     * stays in use until {@link #update} applies it. The plan may be empty.
     */
    StepPlan schedule(double now) {
        StepPlan plan = freePlan();
        scheduledCount = 0;
        preemptions = 0;
        int budget = maxNumBatchedTokens;

        // as vLLM v1 Scheduler.schedule(): running requests first, in list order
        int index = 0;
        while (index < running.size() && budget > 0) {
            RequestState state = running.get(index);
            // as vLLM's async scheduler: a request whose remaining outputs are all in flight is not scheduled (v0.15
            // checks num_computed + 2 - placeholders >= prompt + max_tokens, the same condition)
            if (state.placeholders > 0 && state.outputTokens + state.placeholders >= state.maxOutputTokens) {
                index++;
                continue;
            }
            int tokens = limitChunk(state.numTokens() + state.placeholders - state.computedTokens);
            tokens = Math.min(tokens, budget);
            tokens = Math.min(tokens, maxModelLen - 1 - state.computedTokens);
            if (tokens <= 0) {
                // a running request with nothing to do is skipped, not a stopper
                index++;
                continue;
            }
            boolean preemptedItself = false;
            while (!pool.allocateSlots(state, NO_BLOCKS, tokens)) {
                int victimIndex = victimIndex();
                RequestState victim = running.remove(victimIndex);
                if (victim.scheduledThisStep) {
                    // priority policy only: the victim was scheduled earlier in this step; give its tokens back
                    budget += victim.scheduledTokens;
                    unschedule(victim);
                }
                if (victimIndex < index) {
                    index--;
                }
                preempt(victim, now);
                if (victim == state) {
                    preemptedItself = true;
                    break;
                }
            }
            if (preemptedItself) {
                break;
            }
            addScheduled(state, tokens);
            budget -= tokens;
            index++;
        }

        // then waiting requests, only if nobody was preempted in this step
        if (preemptions == 0) {
            budget = admitWaiting(now, budget);
            if (scheduledCount == 0 && running.isEmpty() && !waiting.isEmpty() && loads.releaseIfStalled(now)) {
                budget = admitWaiting(now, budget);
            }
        }

        plan.clear();
        plan.inUse = true;
        plan.preemptions = preemptions;
        for (int k = 0; k < scheduledCount; k++) {
            RequestState state = scheduled[k];
            scheduled[k] = null;
            int from = state.computedTokens;
            state.computedTokens += state.scheduledTokens;
            // the step samples a token once every known token (and every one in flight) has its KV computed
            boolean sample = state.computedTokens >= state.numTokens() + state.placeholders;
            if (sample) {
                state.placeholders++;
            }
            state.scheduledThisStep = false;
            plan.add(state, state.scheduledTokens, from, sample);
        }
        scheduledCount = 0;
        return plan;
    }

    /** Gives back a plan that schedules nothing (its preemptions, if any, are done). */
    void discard(StepPlan plan) {
        if (plan.size() != 0) {
            throw new ServesimException(ErrorKind.INVARIANT, "vLLM scheduler asked to discard a step of "
                    + plan.size() + " requests");
        }
        plan.clear();
        plan.inUse = false;
    }

    private StepPlan freePlan() {
        for (StepPlan plan : plans) {
            if (!plan.inUse) {
                return plan;
            }
        }
        throw new ServesimException(ErrorKind.INVARIANT, "vLLM scheduler asked for a third step while two are in"
                + " flight");
    }

    /** Phase 2 of vLLM's schedule(): admits waiting requests in queue order; returns the budget left. */
    private int admitWaiting(double now, int tokenBudget) {
        int budget = tokenBudget;
        skippedCount = 0;
        while (!waiting.isEmpty() && budget > 0) {
            if (running.size() >= maxNumSeqs) {
                break;
            }
            RequestState state = waiting.peek();
            if (state.loadState == RequestState.LOADING) {
                if (now < state.loadReadyTime) {
                    // a copy still in flight does not block the requests behind it
                    skip(waiting.poll());
                    continue;
                }
                loads.finish(state);
            }
            int[] hits = NO_BLOCKS;
            // a request that is not resuming from a finished copy has computed nothing: query the prefix cache
            if (state.computedTokens == 0) {
                // at least one token must be computed: at most floor((num_tokens - 1) / block_size) blocks hit
                int maxHitBlocks = (state.numTokens() - 1) / blockSize;
                BlockHashChain chain = state.chain.build();
                PrefixMatch match = cache.match(state.request, chain, maxHitBlocks);
                hits = match.blockIds();
                if (hits.length > maxHitBlocks) {
                    throw new ServesimException(ErrorKind.PLUGIN, "KV cache strategy matched " + hits.length
                            + " blocks, more than the " + maxHitBlocks + " asked for");
                }
                state.admissionCachedTokens = hits.length * blockSize;
                state.admissionCacheEvent = match.event();
                int cpuBlocks = cpu.enabled() && state.remoteTokens == 0
                        ? cpu.match(chain, hits.length, state.numTokens() / blockSize) : 0;
                if (cpuBlocks > 0) {
                    // as vLLM: blocks for the GPU hits and the loaded tokens only, registered when the copy is done
                    if (!pool.reserveForLoad(state, hits, cpuBlocks * blockSize)) {
                        break;
                    }
                    loads.start(waiting.poll(), now, hits.length, cpuBlocks);
                    skip(state);
                    continue;
                }
            }
            int hitTokens = hits.length * blockSize;
            // as vLLM's decode instance (reference 7.2): transferred KV beyond the local prefix hit takes blocks
            // but no compute and no token budget
            int remote = Math.max(0, state.remoteTokens - hitTokens);
            int tokens = Math.min(limitChunk(state.numTokens() - state.computedTokens - hitTokens - remote), budget);
            if (!pool.allocateSlots(state, hits, remote + tokens)) {
                // head-of-line blocking: a waiting request that does not fit stops admission
                break;
            }
            waiting.poll();
            state.preempted = false;
            running.add(state);
            state.computedTokens += hitTokens + remote;
            state.remoteTokens = 0;
            state.prefillEnd = state.numTokens();
            if (state.loadState != RequestState.NOT_LOADING) {
                loads.admitted(state);
            }
            listener.onScheduled(state.request, now, state.admissionCachedTokens, state.admissionCacheEvent);
            addScheduled(state, tokens);
            budget -= tokens;
        }
        // as vLLM: requests passed over go back to the head of the queue, in their order
        for (int k = skippedCount - 1; k >= 0; k--) {
            waiting.addPreempted(skipped[k]);
            skipped[k] = null;
        }
        skippedCount = 0;
        return budget;
    }

    private void skip(RequestState state) {
        if (skippedCount == skipped.length) {
            skipped = Arrays.copyOf(skipped, skippedCount * 2);
        }
        skipped[skippedCount++] = state;
    }

    /**
     * Applies the outputs of {@code plan}, whose step ended at {@code now}: every request the step samples for gets
     * one token (so the first output comes with the last prefill chunk); a request with all its outputs finishes and
     * frees its blocks. A token in flight for a request preempted since is still appended (reference §2.6).
     */
    void update(StepPlan plan, double now) {
        prefillTokens = 0;
        decodeTokens = 0;
        boolean anyFinished = false;
        for (int k = 0; k < plan.size(); k++) {
            RequestState state = plan.state(k);
            int from = plan.from(k);
            int tokens = plan.tokens(k);
            int prefill = Math.max(0, Math.min(from + tokens, state.prefillEnd) - from);
            prefillTokens += prefill;
            decodeTokens += tokens - prefill;
            if (prefill > 0) {
                listener.onPrefillChunk(state.request, now, prefill);
            }
            if (plan.samples(k)) {
                state.placeholders--;
                boolean done = state.appendOutputToken();
                // as vLLM's AsyncScheduler._update_request_with_output: blocks the arriving tokens complete are
                // cached now (a preempted request holds no blocks); in the synchronous loop they already are
                pool.register(state, Math.min(state.computedTokens - state.placeholders, state.numTokens()));
                listener.onTokens(state.request, now, 1);
                if (done) {
                    // as vLLM: a finished request leaves running and frees its blocks at the end of its step
                    pool.free(state);
                    state.finished = true;
                    anyFinished = true;
                    if (state.preempted) {
                        waiting.remove(state);
                    }
                    listener.onFinished(state.request, now);
                }
            }
        }
        plan.clear();
        plan.inUse = false;
        if (anyFinished) {
            running.removeIf(state -> state.finished);
        }
    }

    private int limitChunk(int tokens) {
        return longPrefillTokenThreshold > 0 && tokens > longPrefillTokenThreshold ? longPrefillTokenThreshold : tokens;
    }

    /** FCFS: the last admitted running request; priority: the largest (priority, arrival time), first among ties. */
    private int victimIndex() {
        if (!priorityPolicy) {
            return running.size() - 1;
        }
        int victim = 0;
        for (int i = 1; i < running.size(); i++) {
            RequestState candidate = running.get(i);
            RequestState current = running.get(victim);
            int byPriority = Integer.compare(candidate.request.priority(), current.request.priority());
            if (byPriority > 0
                    || byPriority == 0 && candidate.request.arrivalTime() > current.request.arrivalTime()) {
                victim = i;
            }
        }
        return victim;
    }

    /** Recompute preemption (vLLM V1 never swaps): blocks freed, progress dropped, back to the waiting queue. */
    private void preempt(RequestState state, double now) {
        pool.free(state);
        state.computedTokens = 0;
        state.loadState = RequestState.NOT_LOADING;
        state.preempted = true;
        preemptions++;
        waiting.addPreempted(state);
        listener.onPreempted(state.request, now);
    }

    private void addScheduled(RequestState state, int tokens) {
        if (scheduledCount == scheduled.length) {
            scheduled = Arrays.copyOf(scheduled, scheduledCount * 2);
        }
        scheduled[scheduledCount++] = state;
        state.scheduledTokens = tokens;
        state.scheduledThisStep = true;
    }

    private void unschedule(RequestState state) {
        for (int k = 0; k < scheduledCount; k++) {
            if (scheduled[k] == state) {
                System.arraycopy(scheduled, k + 1, scheduled, k, scheduledCount - k - 1);
                scheduled[--scheduledCount] = null;
                break;
            }
        }
        state.scheduledThisStep = false;
        state.scheduledTokens = 0;
    }
}
