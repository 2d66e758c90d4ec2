package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.KvCacheEvents;
import dev.servesim.api.request.RequestListener;
import dev.servesim.engine.common.steptime.StepBatch;
import dev.servesim.engine.sglang.config.SglangConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The scheduler of one SGLang replica, after {@code Scheduler.get_next_batch_to_run},
 * {@code get_new_batch_prefill} and {@code update_running_batch} (python/sglang/srt/managers/scheduler.py) and
 * {@code process_batch_result_prefill}/{@code _decode} (scheduler_output_processor_mixin.py).
 *
 * <p>Each step is a prefill ("extend") batch if one can be formed, else a decode batch of every running request:
 * <ul>
 *   <li>Prefill: the request in chunked prefill, if any, goes first with its next chunk (at most
 *       {@code chunked_prefill_size} tokens, and no more than the free and evictable slots); if it still has
 *       tokens left the batch holds it alone, as SGLang's adder has no chunk budget left then. Then the waiting
 *       queue, ordered by the schedule policy, is admitted by {@link PrefillAdder} with the current
 *       {@link NewTokenRatio} within {@code max_prefill_tokens} and the running-request limit; a prompt longer than
 *       the remaining chunk is cut and becomes the chunked request. Decoding pauses for the step.</li>
 *   <li>Decode: if the pool cannot give every running request one more slot after evicting unlocked leaves, requests
 *       are retracted ({@link Retraction}: their own slots freed, back to the waiting queue to recompute, their
 *       cached prefix left in the tree) and the ratio is set to the retraction's estimate; otherwise the ratio
 *       decays.</li>
 * </ul>
 * After each prefill chunk the request's KV goes into the tree ({@code cache_unfinished_req}); at finish all of it
 * does ({@code cache_finished_req}) and its lock is released. The first output comes with the last prefill chunk, then
 * one per decode step. Simplifications: the continuing chunk's admission is not checked against the decode
 * reservation (SGLang's {@code add_chunked_req} takes {@code min(rem_chunk_tokens, rem_total_tokens)}), and a decode
 * step asks one slot per request whatever the page size.
 */
final class SglangScheduler {

    private final int maxRunningRequests;
    private final int maxPrefillTokens;
    private final int chunkedPrefillSize;
    private final boolean radixCache;
    private final RadixCache cache;
    private final SlotPool pool;
    private final SchedulePolicy policy;
    private final NewTokenRatio ratio;
    private final RequestListener listener;
    private final List<WaitingRequest> waitingQueue = new ArrayList<>();
    private final Map<WaitingRequest, SglangRequest> waitingStates = new IdentityHashMap<>();
    private final List<SglangRequest> running = new ArrayList<>();
    private final DecodePrealloc prealloc = new DecodePrealloc();
    private final List<SglangRequest> step = new ArrayList<>();
    private final StepBatch batch = new StepBatch();
    /** The request between prefill chunks, {@code null} if none ({@code Scheduler.chunked_req}). */
    private SglangRequest chunked;
    private boolean prefillStep;
    private int stepRetractions;
    /** Tokens the planned step computes for its requests (without the finished requests' discarded ones). */
    private int stepTokens;
    /** Contexts of the requests that finished in the last step, for the overlap loop's discarded tokens. */
    private int[] finishedContexts = new int[16];
    private int finishedCount;

    private long retractions;
    private long radixHitTokens;
    private long radixEvictedTokens;
    private long prefillSteps;
    private long decodeSteps;

    SglangScheduler(SglangConfig config, int poolTokens, RandomGenerator random, RequestListener listener) {
        this(config, poolTokens, random, listener, Optional.empty());
    }

    /** A scheduler whose radix tree publishes the pages it stores and evicts to {@code events}, if present. */
    SglangScheduler(SglangConfig config, int poolTokens, RandomGenerator random, RequestListener listener,
            Optional<KvCacheEvents> events) {
        requireNonNull(config, "config is null");
        this.maxRunningRequests = config.maxRunningRequests();
        this.maxPrefillTokens = config.maxPrefillTokens();
        this.chunkedPrefillSize = config.chunkedPrefillSize();
        this.radixCache = !config.disableRadixCache();
        this.pool = new SlotPool(poolTokens);
        this.cache = new RadixCache(pool, config.pageSize(), EvictionPolicy.fromName(config.radixEvictionPolicy()),
                RadixEvents.of(events, config.pageSize()));
        // as ServerArgs: without the radix cache a cache-aware policy falls back to fcfs
        SchedulePolicy.Policy named = SchedulePolicy.Policy.fromName(config.schedulePolicy());
        this.policy = new SchedulePolicy(radixCache || !named.cacheAware() ? named : SchedulePolicy.Policy.FCFS,
                cache, requireNonNull(random, "random is null"));
        this.ratio = new NewTokenRatio(config.scheduleConservativeness());
        this.listener = requireNonNull(listener, "listener is null");
    }

    /** Queues a new or retracted request; its tokens so far are what it prefills. */
    void add(SglangRequest state) {
        if (prealloc.claim(state)) {
            return;
        }
        state.waiting = new WaitingRequest(state.request.id(), state.tokens(), state.outputs, state.maxNewTokens);
        waitingQueue.add(state.waiting);
        waitingStates.put(state.waiting, state);
    }

    /**
     * Plans the next step at {@code now}; false if there is nothing to run.
     *
     * @param overlap as the overlap loop, which planned this step before the last one's results were processed: a
     *     decode step also computes one token for each request that finished in the last step (SGLang learns of the
     *     finish after launching the next batch; the token is discarded), with no effect but its cost
     */
    boolean schedule(double now, boolean overlap) {
        step.clear();
        batch.clear();
        stepRetractions = 0;
        int finishedLastStep = finishedCount;
        finishedCount = 0;
        admitTransferred(now);
        if (schedulePrefill(now)) {
            stepTokens = batch.totalTokens();
            prefillStep = true;
            prefillSteps++;
            return true;
        }
        if (running.isEmpty()) {
            if (chunked != null || !waitingQueue.isEmpty() || prealloc.size() > 0) {
                throw new ServesimException(ErrorKind.INVARIANT, "SGLang scheduler: nothing fits with "
                        + waiting() + " waiting and " + (chunked != null ? "a" : "no")
                        + " chunked request, " + pool.freeTokens() + " free and " + cache.evictableSize()
                        + " evictable KV slots");
            }
            // as self_check_during_idle
            ratio.reset();
            return false;
        }
        scheduleDecode(now);
        stepTokens = batch.totalTokens();
        if (overlap) {
            for (int i = 0; i < finishedLastStep; i++) {
                batch.add(1, finishedContexts[i]);
            }
        }
        prefillStep = false;
        decodeSteps++;
        return true;
    }

    /**
     * Requests whose prompt's KV a prefill server computed leave the prealloc queue for the running batch while the
     * pool can take their KV beside the running requests' reserved decode tokens and the running-request limit
     * allows ({@code DecodePreallocQueue.pop_preallocated}, python/sglang/srt/disaggregation/decode.py). Their slots
     * are their own, not matched against the tree: SGLang's {@code _pre_alloc} allocates the whole transferred
     * prompt without a prefix match, and the KV enters the tree as any request's does, at finish. SGLang's decode
     * server receives the first output token with the KV and runs no forward pass for it (a "prebuilt" extend);
     * here, as for vLLM's decode instance, the prefill copy's token is not an output, so the request's first decode
     * step computes its last prompt token and samples its first output token.
     */
    private void admitTransferred(double now) {
        double allocatable = Double.NaN;
        while (prealloc.size() > 0 && running.size() + (chunked != null ? 1 : 0) < maxRunningRequests) {
            if (Double.isNaN(allocatable)) {
                List<Retraction.RunningRequest> reserved = new ArrayList<>(running.size());
                for (SglangRequest state : running) {
                    reserved.add(state.asRunning());
                }
                allocatable = pool.freeTokens() + cache.evictableSize()
                        - PrefillAdder.reservedDecodeTokens(reserved, ratio.value());
            }
            SglangRequest state = prealloc.peek();
            int required = DecodePrealloc.requiredTokens(state);
            if (required > allocatable || state.remoteTokens > pool.freeTokens() + cache.evictableSize()) {
                return;
            }
            prealloc.poll();
            allocatable -= required;
            state.kv = cache.lock(new RadixCache.MatchResult(0, cache.root()));
            allocate(state.kv, state.remoteTokens);
            listener.onScheduled(state.request, now, 0, "MISS");
            running.add(state);
        }
    }

    private boolean schedulePrefill(double now) {
        if (chunked == null && (waitingQueue.isEmpty() || running.size() >= maxRunningRequests)) {
            return false;
        }
        List<Retraction.RunningRequest> reserved = new ArrayList<>(running.size() + 1);
        for (SglangRequest state : running) {
            reserved.add(state.asRunning());
        }
        int prefillBudget = maxPrefillTokens;
        int chunkBudget = chunkedPrefillSize;
        if (chunked != null) {
            int available = pool.freeTokens() + cache.evictableSize();
            int chunk = Math.min(Math.min(chunked.remainingPrefill, chunkBudget), available);
            if (chunk < chunked.remainingPrefill) {
                chunk = chunk / cache.pageSize() * cache.pageSize();
            }
            if (chunk <= 0) {
                return false;
            }
            int context = chunked.kv.kvTokens();
            allocate(chunked.kv, chunk);
            addToStep(chunked, chunk, context, chunked.remainingPrefill - chunk);
            if (chunked.remainingPrefill > 0) {
                return true;
            }
            prefillBudget -= chunk;
            chunkBudget -= chunk;
            reserved.add(new Retraction.RunningRequest(chunked.request.id(), chunked.promptTokens(), chunked.outputs,
                    chunked.maxNewTokens, 0));
        }
        int slots = maxRunningRequests - running.size() - step.size();
        if (waitingQueue.isEmpty() || prefillBudget <= 0 || chunkBudget <= 0 || slots <= 0) {
            return !step.isEmpty();
        }
        boolean matched = policy.calcPriority(waitingQueue, now);
        PrefillAdder adder = new PrefillAdder(cache, reserved, ratio.value(), prefillBudget, chunkBudget);
        int admitted = 0;
        for (WaitingRequest request : waitingQueue) {
            if (admitted >= slots) {
                break;
            }
            if (!matched) {
                match(request, now);
            }
            int before = adder.canRunSize();
            PrefillAdder.AddReqResult result = adder.addOneRequest(request);
            admitted += adder.canRunSize() - before;
            if (result != PrefillAdder.AddReqResult.CONTINUE) {
                break;
            }
        }
        for (PrefillAdder.Admission admission : adder.canRun()) {
            WaitingRequest request = admission.request();
            SglangRequest state = waitingStates.remove(request);
            state.waiting = null;
            state.kv = admission.kv();
            int cached = admission.kv().cachedTokens();
            radixHitTokens += cached;
            listener.onScheduled(state.request, now, cached, cached > 0 ? "HIT" : "MISS");
            allocate(state.kv, admission.extendTokens());
            addToStep(state, admission.extendTokens(), cached, request.extendTokens() - admission.extendTokens());
        }
        if (admitted > 0) {
            waitingQueue.removeIf(request -> !waitingStates.containsKey(request));
        }
        return !step.isEmpty();
    }

    private void addToStep(SglangRequest state, int tokens, int context, int remaining) {
        state.stepTokens = tokens;
        state.remainingPrefill = remaining;
        state.stepSamples = remaining == 0;
        step.add(state);
        batch.add(tokens, context);
    }

    private void match(WaitingRequest request, double now) {
        if (!radixCache) {
            request.prefixTokens = 0;
            request.lastNode = cache.root();
            return;
        }
        RadixCache.MatchResult match = cache.matchPrefix(request.maxPrefix(), now);
        request.prefixTokens = match.matchedTokens();
        request.lastNode = match.lastNode();
    }

    private void scheduleDecode(double now) {
        int need = running.size();
        evictFor(need);
        if (pool.freeTokens() < need) {
            List<Retraction.RunningRequest> list = new ArrayList<>(running.size());
            for (SglangRequest state : running) {
                list.add(state.asRunning());
            }
            Retraction.Result result = Retraction.retract(list, pool.freeTokens() + cache.evictableSize());
            for (Retraction.RunningRequest retracted : result.retracted()) {
                SglangRequest state = runningById(retracted.id());
                running.remove(state);
                cache.release(state.kv);
                state.kv = null;
                add(state);
                listener.onPreempted(state.request, now);
                retractions++;
                stepRetractions++;
            }
            ratio.retracted(result.newTokenRatio());
            need = running.size();
            evictFor(need);
            if (pool.freeTokens() < need) {
                throw new ServesimException(ErrorKind.INVARIANT, "SGLang scheduler: " + need + " running requests"
                        + " but only " + pool.freeTokens() + " free KV slots after retraction");
            }
        } else {
            ratio.decay();
        }
        for (SglangRequest state : running) {
            int context = state.kv.kvTokens();
            allocate(state.kv, 1);
            addToStep(state, 1, context, 0);
        }
    }

    private SglangRequest runningById(long id) {
        for (SglangRequest state : running) {
            if (state.request.id() == id) {
                return state;
            }
        }
        throw new IllegalStateException("request " + id + " is not running");
    }

    private void evictFor(int tokens) {
        if (pool.freeTokens() < tokens) {
            radixEvictedTokens += cache.evict(tokens);
        }
    }

    private void allocate(RequestKv kv, int tokens) {
        evictFor(tokens);
        if (!cache.allocate(kv, tokens)) {
            throw new ServesimException(ErrorKind.INVARIANT, "SGLang scheduler: cannot allocate " + tokens
                    + " KV slots with " + pool.freeTokens() + " free and " + cache.evictableSize() + " evictable");
        }
    }

    /** Applies the outputs of the planned step, which ended at {@code now}. */
    void complete(double now) {
        boolean anyFinished = false;
        for (SglangRequest state : step) {
            if (prefillStep) {
                listener.onPrefillChunk(state.request, now, state.stepTokens);
                if (state == chunked) {
                    chunked = null;
                }
                if (radixCache) {
                    cache.cacheUnfinishedRequest(state.kv, state.tokens(), now);
                }
                if (!state.stepSamples) {
                    chunked = state;
                    continue;
                }
            }
            state.outputs++;
            listener.onTokens(state.request, now, 1);
            if (state.outputs >= state.maxNewTokens) {
                if (finishedCount == finishedContexts.length) {
                    finishedContexts = Arrays.copyOf(finishedContexts, finishedCount * 2);
                }
                finishedContexts[finishedCount++] = state.kv.kvTokens();
                if (radixCache) {
                    cache.cacheFinishedRequest(state.kv, state.tokens(), now);
                } else {
                    cache.release(state.kv);
                }
                state.kv = null;
                state.finished = true;
                anyFinished = !prefillStep || anyFinished;
                listener.onFinished(state.request, now);
            } else if (prefillStep) {
                running.add(state);
            }
        }
        if (anyFinished) {
            running.removeIf(state -> state.finished);
        }
    }

    boolean hasWork() {
        return !running.isEmpty() || !waitingQueue.isEmpty() || chunked != null || prealloc.size() > 0;
    }

    /** The planned step's batch as the step time sees it. */
    StepBatch batch() {
        return batch;
    }

    /** Tokens the planned step computes for its requests. */
    int stepTokens() {
        return stepTokens;
    }

    boolean prefillStep() {
        return prefillStep;
    }

    int stepRequests() {
        return step.size();
    }

    int stepRetractions() {
        return stepRetractions;
    }

    int running() {
        return running.size() + (chunked != null ? 1 : 0);
    }

    int waiting() {
        return waitingQueue.size() + prealloc.size();
    }

    /** Slots held by requests (not the tree's unlocked nodes). */
    int usedTokens() {
        return pool.capacityTokens() - pool.freeTokens() - cache.evictableSize();
    }

    DecodePrealloc prealloc() {
        return prealloc;
    }

    RadixCache cache() {
        return cache;
    }

    double newTokenRatio() {
        return ratio.value();
    }

    long retractions() {
        return retractions;
    }

    long radixHitTokens() {
        return radixHitTokens;
    }

    long radixEvictedTokens() {
        return radixEvictedTokens;
    }

    long prefillSteps() {
        return prefillSteps;
    }

    long decodeSteps() {
        return decodeSteps;
    }
}
