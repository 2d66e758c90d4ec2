package dev.servesim.engine.vllm;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.KvTransferSupport;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.ScheduledEvent;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.output.DelayedOutputListener;
import dev.servesim.engine.common.steptime.ForwardPass;
import dev.servesim.engine.common.steptime.ShardedModel;
import dev.servesim.engine.common.steptime.StepTimeFormula;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One vLLM V1 engine replica and its engine loop (vllm/v1/engine/core.py, reference §2.6). Synchronous loop
 * ({@code async_scheduling: false}): schedule a step, run it for the step model's duration, apply its outputs, and
 * start the next step at once while any request is running or waiting. Asynchronous loop (vLLM v0.15's default): two
 * steps in flight; when a step ends its outputs are applied, the step already scheduled starts on the GPU at once,
 * and the step after it is scheduled from the requests queued by then, so a request arriving during a step joins the
 * step after the next. Idle otherwise; a submission wakes it. When only CPU-to-GPU copies are pending, it sleeps
 * until the first one is done (or a submission arrives).
 */
final class VllmEngine implements ServingEngine, KvTransferSupport {

    private final VllmConfig config;
    private final int replica;
    private final EventScheduler events;
    private final RequestListener listener;
    private final DelayedOutputListener delayedOutput;
    private final Consumer<StepRecord> steps;
    private final StepTimeModel stepTime;
    private final KvCapacity capacity;
    private final CpuKvTier cpu;
    private final BlockPool pool;
    private final VllmScheduler scheduler;
    private final EngineInfo info;
    private final long kvBytesPerToken;
    private final boolean async;
    private final Runnable startStep = this::startStep;
    private final Runnable finishStep = this::finishStep;
    private final Runnable planAhead = this::planAhead;
    private final Runnable wakeUp = this::wakeUp;

    /** A step's start or end event is pending. */
    private boolean busy;
    /** The step executing on the GPU, or {@code null}. */
    private StepPlan executing;
    /** Asynchronous loop: the step scheduled to run after {@link #executing}, or {@code null}. */
    private StepPlan next;
    /** Idle until a CPU-to-GPU copy is done. */
    private ScheduledEvent sleep;
    private double stepStart;
    private double stepDuration;
    /** Preemptions of the passes since the last step record (a pass that preempts may schedule nothing). */
    private int preemptionsSinceLastStep;

    VllmEngine(VllmSetup setup, EngineContext context) {
        this(setup, context, null);
    }

    /** With a given step-time model ({@code null}: the one the configuration names). */
    VllmEngine(VllmSetup setup, EngineContext context, StepTimeModel stepTime) {
        requireNonNull(setup, "setup is null");
        requireNonNull(context, "context is null");
        this.config = setup.config();
        ModelSpec model = setup.model();
        HardwareSpec hardware = setup.hardware();
        ShardedModel sharded = VllmSetup.shard(model, config);
        this.kvBytesPerToken = sharded.kvBytesPerTokenOverPipeline() * sharded.tp();
        this.capacity = KvCapacity.of(config, hardware, sharded);
        this.stepTime = stepTime != null ? stepTime
                : new StepTimeFormula(new ForwardPass(sharded, hardware, config.dtype()), setup.coefficients(),
                        config.stepTime().value());
        this.cpu = CpuKvTier.of(capacity.cpuBlocks(), sharded, config.blockSize(), hardware.hostLinkBytesPerSecond());
        this.async = config.asyncScheduling();
        this.replica = context.replica();
        this.events = requireNonNull(context.scheduler(), "scheduler is null");
        RequestListener requests = requireNonNull(context.requests(), "requests is null");
        // the API server's path from a step's end to the client (detokenization, streaming); real clients
        // (servesim serve) take the real path instead, so the engine's times are the server's own, as vLLM's
        // histograms measure them (vllm/v1/metrics/stats.py: TTFT ends when the frontend processes the first token,
        // before it is streamed)
        double outputDelay = context.realClients() ? 0 : this.stepTime.outputOverheadSeconds();
        this.delayedOutput = outputDelay > 0 ? new DelayedOutputListener(requests, events, outputDelay) : null;
        this.listener = delayedOutput != null ? delayedOutput : requests;
        this.steps = requireNonNull(context.steps(), "steps is null");
        KvCacheStrategy cache = requireNonNull(context.createKvCache(capacity.usableBlocks(), config.blockSize()),
                "KV cache strategy is null");
        this.pool = new BlockPool(cache, cpu, capacity.usableBlocks(), config.blockSize(), config.maxModelLen());
        this.scheduler = new VllmScheduler(config.maxNumSeqs(), config.maxNumBatchedTokens(), config.maxModelLen(),
                config.longPrefillTokenThreshold(), config.blockSize(), config.schedulingPolicy(), pool, cache, cpu,
                listener);
        this.info = new EngineInfo(capacity.usableBlocks(), config.blockSize(), config.maxModelLen(),
                EngineProperties.of(config, model, sharded, capacity, cpu, this.stepTime),
                capacity.memory(config, hardware));
    }

    @Override
    public void submit(Request request) {
        submitWithRemoteKv(request, 0);
    }

    /** All GPUs of the replica together, as the {@code kv_bytes_per_token} property says. */
    @Override
    public long kvBytesPerToken() {
        return kvBytesPerToken;
    }

    // also overrides ServingEngine's deprecated method of the same signature, kept for API 0.2 engines
    @SuppressWarnings("deprecation")
    @Override
    public void submitWithRemoteKv(Request request, int remoteTokens) {
        double now = events.now();
        int prompt = request.promptTokens();
        int maxModelLen = config.maxModelLen();
        // as vLLM input validation: a prompt must leave room for one output token
        if (prompt >= maxModelLen) {
            listener.onRejected(request, now, "prompt longer than max_model_len: " + prompt + " tokens, max_model_len "
                    + maxModelLen);
            return;
        }
        int outputs = Math.min(request.maxOutputTokens(), maxModelLen - prompt);
        // the last sampled token is never fed back, so the request holds KV for prompt + outputs - 1 positions
        int blocksNeeded = pool.blocksFor((long) prompt + outputs - 1);
        if (blocksNeeded > pool.totalBlocks()) {
            listener.onRejected(request, now, "request larger than the KV cache: it needs " + blocksNeeded
                    + " KV blocks for its prompt and output, more than the " + pool.totalBlocks()
                    + " blocks of the pool");
            return;
        }
        RequestState state = new RequestState(request, outputs, config.blockSize());
        // as vLLM's decode instance after a NIXL load: at most prompt_len - 1 tokens, the last one is recomputed
        state.remoteTokens = Math.max(0, Math.min(remoteTokens, prompt - 1));
        double arrivalDelay = stepTime.arrivalOverheadSeconds(prompt);
        if (arrivalDelay > 0) {
            events.schedule(arrivalDelay, () -> enqueue(state));
        } else {
            enqueue(state);
        }
    }

    private void enqueue(RequestState state) {
        scheduler.add(state);
        listener.onQueued(state.request, events.now());
        if (!busy) {
            if (sleep != null) {
                sleep.cancel();
                sleep = null;
            }
            busy = true;
            events.schedule(0.0, startStep);
        }
    }

    private void wakeUp() {
        sleep = null;
        busy = true;
        startStep();
    }

    /** The GPU is free: schedule a step and run it; asynchronously, schedule the one after it too. */
    private void startStep() {
        double now = events.now();
        StepPlan plan = scheduler.schedule(now);
        preemptionsSinceLastStep += plan.preemptions;
        if (plan.size() == 0) {
            int preemptions = plan.preemptions;
            scheduler.discard(plan);
            if (preemptions > 0) {
                // the only running request preempted itself; vLLM's loop simply schedules again
                events.schedule(0.0, startStep);
                return;
            }
            busy = false;
            double ready = scheduler.loads().nextReadyAfter(now);
            if (!Double.isNaN(ready)) {
                sleep = events.scheduleAt(ready, wakeUp);
            } else if (scheduler.hasWork()) {
                throw new ServesimException(ErrorKind.INVARIANT, "vLLM engine " + replica + " scheduled nothing at "
                        + now + " s with " + scheduler.running() + " running and " + scheduler.waiting()
                        + " waiting requests");
            }
            return;
        }
        execute(plan, now);
        if (async) {
            // vLLM's loop: with fewer than two batches in flight it goes round again at once and schedules another
            planAhead();
        }
    }

    /** Asynchronous loop: schedules the step that runs after the executing one, if there is anything to run. */
    private void planAhead() {
        StepPlan plan = scheduler.schedule(events.now());
        preemptionsSinceLastStep += plan.preemptions;
        if (plan.size() == 0) {
            scheduler.discard(plan);
        } else {
            next = plan;
        }
    }

    private void execute(StepPlan plan, double now) {
        double duration = stepTime.stepSeconds(plan.batch);
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new ServesimException(ErrorKind.INVARIANT, "step time must be positive and finite, got " + duration);
        }
        executing = plan;
        stepStart = now;
        stepDuration = duration;
        events.schedule(duration, finishStep);
    }

    private void finishStep() {
        double now = events.now();
        StepPlan done = executing;
        executing = null;
        int scheduledRequests = done.size();
        scheduler.update(done, now);
        if (cpu.enabled()) {
            cpu.commit();
        }
        if (delayedOutput != null) {
            delayedOutput.flush();
        }
        pool.checkInvariants();
        steps.accept(new StepRecord(replica, stepStart, stepDuration, scheduler.prefillTokens(),
                scheduler.decodeTokens(), scheduledRequests, scheduler.running(), scheduler.waiting(),
                pool.usedBlocks(), pool.totalBlocks(), preemptionsSinceLastStep));
        preemptionsSinceLastStep = 0;
        if (next != null) {
            // the GPU runs the batches back to back; the one after is scheduled once the input queue is drained (a
            // zero-delay event, so requests arriving at this instant are included)
            StepPlan plan = next;
            next = null;
            execute(plan, now);
            events.schedule(0.0, planAhead);
        } else if (scheduler.hasWork()) {
            // a zero-delay event, so requests arriving at this instant join the next step (vLLM drains its input
            // queue before scheduling)
            events.schedule(0.0, startStep);
        } else {
            busy = false;
        }
    }

    @Override
    public EngineLoad load() {
        return new EngineLoad(scheduler.running(), scheduler.waiting(), pool.usedBlocks(), pool.totalBlocks());
    }

    @Override
    public EngineInfo info() {
        return info;
    }

    @Override
    public java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("cpu_kv_stored_blocks", cpu.storedBlocks());
        counters.put("cpu_kv_evicted_blocks", cpu.evictedBlocks());
        counters.put("cpu_kv_loads", cpu.loads());
        counters.put("cpu_kv_loaded_blocks", cpu.loadedBlocks());
        counters.put("stall_releases", scheduler.loads().stallReleases());
        return counters;
    }

    /** The CPU KV tier (disabled when the configuration has none). */
    CpuKvTier cpuTier() {
        return cpu;
    }

    VllmScheduler scheduler() {
        return scheduler;
    }
}
