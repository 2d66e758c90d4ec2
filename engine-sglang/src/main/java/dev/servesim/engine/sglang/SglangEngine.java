package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.KvTransferSupport;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.ForwardPass;
import dev.servesim.engine.common.steptime.RooflineBounds;
import dev.servesim.engine.common.steptime.ShardedModel;
import dev.servesim.engine.common.steptime.StepTimeFormula;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.engine.common.output.DelayedOutputListener;
import dev.servesim.engine.sglang.config.SglangConfig;
import dev.servesim.engine.sglang.config.SglangOverheads;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One SGLang engine replica and its event loop ({@code Scheduler.event_loop_overlap}, or
 * {@code event_loop_normal} with {@code disable_overlap_schedule}, in python/sglang/srt/managers/scheduler.py):
 * receive requests, plan a batch ({@link SglangScheduler}), run it, process its result, and go round again at once
 * while any request is running or waiting; idle otherwise, until a submission wakes it.
 *
 * <p>A step costs the GPU the step model's time for its batch and the scheduler CPU time
 * ({@link SglangOverheads#schedulerSeconds}) to plan it and process its result. The normal loop does one after the
 * other, so a step takes their sum. The overlap loop plans batch N+1 and processes batch N's result while the GPU runs
 * N+1 ({@code event_loop_overlap}, with future token ids standing for N's outputs), so back-to-back steps take the
 * longer of the two; the first step after idle has nothing to hide its CPU work behind and takes their sum. Planning
 * ahead has two more effects, both modelled: batch N+1 is planned when N starts, so a request reaching the scheduler
 * while N runs joins batch N+2 at the earliest (as vLLM's asynchronous scheduling, about one step more TTFT); and a
 * request that finished in step N still rides in a decode step N+1, its token discarded
 * ({@link SglangScheduler#schedule}).
 *
 * <p>Around the engine, a request reaches the waiting queue the arrival overhead after it arrives (HTTP server,
 * {@code TokenizerManager}, ZMQ), and each step's tokens reach the client the output overhead after the step ends
 * ({@code DetokenizerManager}, streaming); with real clients ({@code servesim serve}) the output path is theirs.
 */
final class SglangEngine implements ServingEngine {

    private final SglangConfig config;
    private final int replica;
    private final int poolTokens;
    private final EventScheduler events;
    private final RequestListener listener;
    private final Consumer<StepRecord> steps;
    private final StepTimeModel stepTime;
    private final SglangScheduler scheduler;
    private final EngineInfo info;
    private final SglangOverheads overheads;
    private final boolean overlap;
    private final DelayedOutputListener delayedOutput;
    private final SglangKvTransfer kvTransfer;
    private final Runnable startStep = this::startStep;
    private final Runnable finishStep = this::finishStep;
    private boolean busy;
    /** The last step ended now and the next one follows at once, so the overlap loop hides its CPU work. */
    private boolean backToBack;
    /** Overlap loop: requests that reached the scheduler after the running step was planned, in arrival order. */
    private final ArrayDeque<SglangRequest> inbox = new ArrayDeque<>();
    private double stepStart;
    private double stepDuration;

    SglangEngine(SglangSetup setup, EngineContext context) {
        this(setup, context, null);
    }

    /** With a given step-time model ({@code null}: the one the configuration names). */
    SglangEngine(SglangSetup setup, EngineContext context, StepTimeModel stepTime) {
        requireNonNull(setup, "setup is null");
        requireNonNull(context, "context is null");
        this.config = setup.config();
        this.poolTokens = setup.poolTokens();
        ShardedModel sharded = setup.sharded();
        this.stepTime = stepTime != null ? stepTime
                : new StepTimeFormula(new ForwardPass(sharded, setup.hardware(), config.dtype()), setup.coefficients(),
                        config.stepTime().value());
        this.replica = context.replica();
        this.events = requireNonNull(context.scheduler(), "scheduler is null");
        this.overheads = config.overheads();
        this.overlap = !config.disableOverlapSchedule();
        RequestListener requests = requireNonNull(context.requests(), "requests is null");
        // real clients (servesim serve) take the real output path, so the engine's times are the server's own
        double outputDelay = context.realClients() ? 0 : overheads.outputOverheadSeconds();
        this.delayedOutput = outputDelay > 0 ? new DelayedOutputListener(requests, events, outputDelay) : null;
        this.listener = delayedOutput != null ? delayedOutput : requests;
        this.steps = requireNonNull(context.steps(), "steps is null");
        this.scheduler = new SglangScheduler(config, poolTokens, context.random().stream("schedule-policy"),
                listener, context.kvCacheEvents());
        this.kvTransfer = new SglangKvTransfer(this, scheduler.prealloc(),
                sharded.kvBytesPerTokenOverPipeline() * sharded.tp());
        this.info = new EngineInfo(poolTokens / config.pageSize(), config.pageSize(), config.contextLength(),
                properties(setup, sharded, this.stepTime), setup.memory());
    }

    private static Map<String, String> properties(SglangSetup setup, ShardedModel sharded, StepTimeModel stepTime) {
        SglangConfig config = setup.config();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("model", config.model());
        properties.put("model_id", ModelSpec.servedId(config.model()));
        properties.put("hardware", config.hardware().name());
        properties.put("tensor_parallel_size", Integer.toString(config.tensorParallelSize()));
        properties.put("dtype", config.dtype().value());
        properties.put("kv_cache_dtype", config.kvCacheDtype().value());
        properties.put("mem_fraction_static", Double.toString(config.memFractionStatic()));
        properties.put("kv_bytes_per_token_per_gpu", Long.toString(sharded.kvBytesPerTokenPerRank()));
        properties.put("kv_bytes_per_token", Long.toString(sharded.kvBytesPerTokenOverPipeline() * sharded.tp()));
        properties.put("page_size", Integer.toString(config.pageSize()));
        properties.put("kv_tokens", Integer.toString(setup.poolTokens()));
        properties.put("context_length", Integer.toString(config.contextLength()));
        properties.put("max_running_requests", Integer.toString(config.maxRunningRequests()));
        properties.put("max_prefill_tokens", Integer.toString(config.maxPrefillTokens()));
        properties.put("chunked_prefill_size", Integer.toString(config.chunkedPrefillSize()));
        properties.put("schedule_policy", config.schedulePolicy());
        properties.put("radix_eviction_policy", config.radixEvictionPolicy());
        properties.put("disable_radix_cache", Boolean.toString(config.disableRadixCache()));
        properties.put(EngineInfo.PREFIX_CACHE, config.disableRadixCache() ? "disabled" : "radix");
        properties.put("disable_overlap_schedule", Boolean.toString(config.disableOverlapSchedule()));
        SglangOverheads overheads = config.overheads();
        properties.put("scheduler_overhead_seconds", Double.toString(overheads.schedulerOverheadSeconds()));
        properties.put("scheduler_overhead_seconds_per_request",
                Double.toString(overheads.schedulerOverheadSecondsPerRequest()));
        properties.put("arrival_overhead_seconds", Double.toString(overheads.arrivalOverheadSeconds()));
        properties.put("output_overhead_seconds", Double.toString(overheads.outputOverheadSeconds()));
        properties.put("step_time_model", stepTime.name());
        RooflineBounds bounds = RooflineBounds.of(sharded, config.hardware(), config.dtype(),
                config.maxRunningRequests());
        properties.put("roofline_prefill_tokens_per_s", String.format(Locale.ROOT, "%.1f",
                bounds.prefillTokensPerSecond()));
        properties.put("roofline_decode_tokens_per_s", String.format(Locale.ROOT, "%.1f",
                bounds.decodeTokensPerSecond()));
        return properties;
    }

    @Override
    public void submit(Request request) {
        double now = events.now();
        int prompt = request.promptTokens();
        int context = config.contextLength();
        if (prompt >= context) {
            listener.onRejected(request, now, "prompt longer than context_length: " + prompt + " tokens,"
                    + " context_length " + context);
            return;
        }
        int outputs = Math.min(request.maxOutputTokens(), context - prompt);
        // admission of the request alone, even after a retraction, needs its prompt and outputs below the pool
        long needed = (long) prompt + outputs + 1;
        if (needed > poolTokens) {
            listener.onRejected(request, now, "request larger than the KV pool: it needs " + needed
                    + " tokens for its prompt and output, more than the " + poolTokens + " tokens of the pool");
            return;
        }
        SglangRequest state = new SglangRequest(request, outputs);
        double arrivalDelay = overheads.arrivalOverheadSeconds();
        if (arrivalDelay > 0) {
            events.schedule(arrivalDelay, () -> enqueue(state));
        } else {
            enqueue(state);
        }
    }

    private void enqueue(SglangRequest state) {
        state.queuedTime = events.now();
        if (overlap && busy) {
            inbox.add(state);
        } else {
            scheduler.add(state);
        }
        listener.onQueued(state.request, events.now());
        if (!busy) {
            busy = true;
            backToBack = false;
            events.schedule(0.0, startStep);
        }
    }

    private void startStep() {
        double now = events.now();
        // the overlap loop planned this batch when the step before started: only what had arrived by then is in it
        receive(backToBack ? stepStart : now);
        boolean planned = scheduler.schedule(now, overlap);
        if (!planned && !inbox.isEmpty()) {
            // nothing was planned ahead: the loop goes round at once and receives what arrived meanwhile
            backToBack = false;
            receive(now);
            planned = scheduler.schedule(now, overlap);
        }
        if (!planned) {
            busy = false;
            return;
        }
        double gpu = stepTime.stepSeconds(scheduler.batch());
        double cpu = overheads.schedulerSeconds(scheduler.stepRequests());
        double duration = overlap && backToBack ? Math.max(gpu, cpu) : gpu + cpu;
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new ServesimException(ErrorKind.INVARIANT, "step time must be positive and finite, got " + duration);
        }
        stepStart = now;
        stepDuration = duration;
        events.schedule(duration, finishStep);
    }

    /** Moves the requests that reached the scheduler by {@code time} from the inbox to its waiting queue. */
    private void receive(double time) {
        while (!inbox.isEmpty() && inbox.peekFirst().queuedTime <= time) {
            scheduler.add(inbox.pollFirst());
        }
    }

    private void finishStep() {
        double now = events.now();
        int tokens = scheduler.stepTokens();
        boolean prefill = scheduler.prefillStep();
        int requests = scheduler.stepRequests();
        scheduler.complete(now);
        if (delayedOutput != null) {
            delayedOutput.flush();
        }
        int pageSize = config.pageSize();
        steps.accept(new StepRecord(replica, stepStart, stepDuration, prefill ? tokens : 0, prefill ? 0 : tokens,
                requests, scheduler.running(), scheduler.waiting() + inbox.size(), scheduler.usedTokens() / pageSize,
                poolTokens / pageSize, scheduler.stepRetractions()));
        if (scheduler.hasWork() || !inbox.isEmpty()) {
            // a zero-delay event, so requests arriving at this instant join the next batch
            backToBack = true;
            events.schedule(0.0, startStep);
        } else {
            busy = false;
        }
    }

    /** Offers {@link KvTransferSupport}: prefill/decode disaggregation ({@link SglangKvTransfer}). */
    @Override
    public <T> Optional<T> capability(Class<T> capability) {
        if (capability == KvTransferSupport.class) {
            return Optional.of(capability.cast(kvTransfer));
        }
        return ServingEngine.super.capability(capability);
    }

    @Override
    public EngineLoad load() {
        return new EngineLoad(scheduler.running(), scheduler.waiting() + inbox.size(),
                scheduler.usedTokens() / config.pageSize(),
                poolTokens / config.pageSize());
    }

    @Override
    public EngineInfo info() {
        return info;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("retractions", scheduler.retractions());
        counters.put("radix_hit_tokens", scheduler.radixHitTokens());
        counters.put("radix_evicted_tokens", scheduler.radixEvictedTokens());
        counters.put("prefill_steps", scheduler.prefillSteps());
        counters.put("decode_steps", scheduler.decodeSteps());
        return counters;
    }

    SglangScheduler scheduler() {
        return scheduler;
    }
}
