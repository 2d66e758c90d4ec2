package dev.servesim.engine.vllm;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.ModelSpec;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One vLLM V1 engine replica with the synchronous engine loop (vllm/v1/engine/core.py, {@code async_scheduling}
 * off): schedule a step, run it for the step model's duration, apply its outputs, and start the next step at once
 * while any request is running or waiting. Idle otherwise; a submission wakes it.
 */
final class VllmEngine implements ServingEngine {

    private final VllmConfig config;
    private final int replica;
    private final EventScheduler events;
    private final RequestListener listener;
    private final Consumer<StepRecord> steps;
    private final StepTimeModel stepTime;
    private final KvCapacity capacity;
    private final BlockPool pool;
    private final VllmScheduler scheduler;
    private final EngineInfo info;
    private final Runnable startStep = this::startStep;
    private final Runnable finishStep = this::finishStep;

    private boolean stepInFlight;
    private double stepStart;
    private double stepDuration;

    VllmEngine(VllmConfig config, EngineContext context) {
        this(config, context, null);
    }

    /** With a given step-time model ({@code null}: the roofline model of the configuration). */
    VllmEngine(VllmConfig config, EngineContext context, StepTimeModel stepTime) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        ModelSpec model = ModelSpec.named(config.model());
        HardwareSpec hardware = HardwareSpec.named(config.hardware());
        ShardedModel sharded = ShardedModel.of(model, config);
        this.capacity = KvCapacity.of(config, hardware, sharded);
        this.stepTime = stepTime != null ? stepTime : new RooflineStepTime(sharded, hardware, config);
        this.replica = context.replica();
        this.events = requireNonNull(context.scheduler(), "scheduler is null");
        this.listener = requireNonNull(context.requests(), "requests is null");
        this.steps = requireNonNull(context.steps(), "steps is null");
        KvCacheStrategy cache = requireNonNull(context.createKvCache(capacity.usableBlocks(), config.blockSize()),
                "KV cache strategy is null");
        this.pool = new BlockPool(cache, capacity.usableBlocks(), config.blockSize(), config.maxModelLen());
        this.scheduler = new VllmScheduler(config.maxNumSeqs(), config.maxNumBatchedTokens(), config.maxModelLen(),
                config.longPrefillTokenThreshold(), config.blockSize(), config.schedulingPolicy(), pool, cache,
                listener);
        this.info = new EngineInfo(capacity.usableBlocks(), config.blockSize(), config.maxModelLen(),
                properties(model, sharded));
    }

    @Override
    public void submit(Request request) {
        double now = events.now();
        int prompt = request.promptTokens();
        int maxModelLen = config.maxModelLen();
        // as vLLM input validation: a prompt must leave room for one output token
        if (prompt >= maxModelLen) {
            listener.onRejected(request, now, "prompt longer than max_model_len (" + prompt + " tokens, max_model_len "
                    + maxModelLen + ")");
            return;
        }
        int outputs = Math.min(request.maxOutputTokens(), maxModelLen - prompt);
        // the last sampled token is never fed back, so the request holds KV for prompt + outputs - 1 positions
        int blocksNeeded = pool.blocksFor((long) prompt + outputs - 1);
        if (blocksNeeded > pool.totalBlocks()) {
            listener.onRejected(request, now, "request needs " + blocksNeeded + " KV blocks for its prompt and output,"
                    + " more than the " + pool.totalBlocks() + " blocks of the pool");
            return;
        }
        scheduler.add(new RequestState(request, outputs, config.blockSize()));
        listener.onQueued(request, now);
        if (!stepInFlight) {
            stepInFlight = true;
            events.schedule(0.0, startStep);
        }
    }

    private void startStep() {
        double now = events.now();
        scheduler.schedule(now);
        StepBatch batch = scheduler.batch();
        if (batch.size() == 0) {
            if (scheduler.hasWork()) {
                throw new ServesimException(ErrorKind.INVARIANT, "vLLM engine " + replica + " scheduled nothing at "
                        + now + " s with " + scheduler.running() + " running and " + scheduler.waiting()
                        + " waiting requests");
            }
            stepInFlight = false;
            return;
        }
        double duration = stepTime.stepSeconds(batch);
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new ServesimException(ErrorKind.INVARIANT, "step time must be positive and finite, got " + duration);
        }
        stepStart = now;
        stepDuration = duration;
        events.schedule(duration, finishStep);
    }

    private void finishStep() {
        double now = events.now();
        int scheduledRequests = scheduler.batch().size();
        scheduler.update(now);
        pool.checkInvariants();
        steps.accept(new StepRecord(replica, stepStart, stepDuration, scheduler.prefillTokens(),
                scheduler.decodeTokens(), scheduledRequests, scheduler.running(), scheduler.waiting(),
                pool.usedBlocks(), pool.totalBlocks(), scheduler.preemptions()));
        if (scheduler.hasWork()) {
            // a zero-delay event, so requests arriving at this instant join the next step (vLLM drains its input
            // queue before scheduling)
            events.schedule(0.0, startStep);
        } else {
            stepInFlight = false;
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

    private Map<String, String> properties(ModelSpec model, ShardedModel sharded) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("model", config.model());
        properties.put("hardware", config.hardware());
        properties.put("tensor_parallel_size", Integer.toString(config.tensorParallelSize()));
        properties.put("dtype", config.dtype());
        properties.put("kv_cache_dtype", config.kvCacheDtype());
        properties.put("parameters", Long.toString(model.parameters()));
        properties.put("weights_gib_per_gpu", KvCapacity.gib(capacity.weightBytesPerRank()));
        properties.put("kv_cache_memory_gib", KvCapacity.gib(capacity.kvCacheBytes()));
        properties.put("kv_bytes_per_token_per_gpu", Long.toString(sharded.kvBytesPerTokenPerRank()));
        properties.put("num_gpu_blocks", Integer.toString(capacity.numGpuBlocks()));
        properties.put("num_gpu_blocks_overridden", Boolean.toString(config.numGpuBlocks() != null));
        properties.put("block_size", Integer.toString(config.blockSize()));
        // as vLLM's start-up log "GPU KV cache size: N tokens" (counts the null block)
        properties.put("kv_tokens", Long.toString((long) capacity.numGpuBlocks() * config.blockSize()));
        properties.put("max_num_seqs", Integer.toString(config.maxNumSeqs()));
        properties.put("max_num_batched_tokens", Integer.toString(config.maxNumBatchedTokens()));
        properties.put("max_model_len", Integer.toString(config.maxModelLen()));
        properties.put("long_prefill_token_threshold", Integer.toString(config.longPrefillTokenThreshold()));
        properties.put("scheduling_policy", config.schedulingPolicy());
        properties.put("step_time_model", stepTime instanceof RooflineStepTime ? "roofline" : "custom");
        return properties;
    }
}
