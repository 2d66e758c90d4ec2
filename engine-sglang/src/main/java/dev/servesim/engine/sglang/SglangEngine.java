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
import dev.servesim.engine.sglang.config.SglangConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One SGLang engine replica and its event loop ({@code Scheduler.event_loop_normal} in
 * python/sglang/srt/managers/scheduler.py): receive requests, plan a batch ({@link SglangScheduler}), run it for the
 * step model's duration, process its result, and go round again at once while any request is running or waiting;
 * idle otherwise, until a submission wakes it. The overlap scheduler (SGLang's default event loop, which plans the
 * next batch while the GPU runs the current one) is not modelled yet, nor the API server's arrival and output delays.
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
    private final SglangKvTransfer kvTransfer;
    private final Runnable startStep = this::startStep;
    private final Runnable finishStep = this::finishStep;
    private boolean busy;
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
        this.listener = requireNonNull(context.requests(), "requests is null");
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
        scheduler.add(new SglangRequest(request, outputs));
        listener.onQueued(request, now);
        if (!busy) {
            busy = true;
            events.schedule(0.0, startStep);
        }
    }

    private void startStep() {
        double now = events.now();
        if (!scheduler.schedule(now)) {
            busy = false;
            return;
        }
        double duration = stepTime.stepSeconds(scheduler.batch());
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new ServesimException(ErrorKind.INVARIANT, "step time must be positive and finite, got " + duration);
        }
        stepStart = now;
        stepDuration = duration;
        events.schedule(duration, finishStep);
    }

    private void finishStep() {
        double now = events.now();
        int tokens = scheduler.batch().totalTokens();
        boolean prefill = scheduler.prefillStep();
        int requests = scheduler.stepRequests();
        scheduler.complete(now);
        int pageSize = config.pageSize();
        steps.accept(new StepRecord(replica, stepStart, stepDuration, prefill ? tokens : 0, prefill ? 0 : tokens,
                requests, scheduler.running(), scheduler.waiting(), scheduler.usedTokens() / pageSize,
                poolTokens / pageSize, scheduler.stepRetractions()));
        if (scheduler.hasWork()) {
            // a zero-delay event, so requests arriving at this instant join the next batch
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
        return new EngineLoad(scheduler.running(), scheduler.waiting(), scheduler.usedTokens() / config.pageSize(),
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
