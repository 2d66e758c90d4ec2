package dev.servesim.engine.sglang.config;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;
import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.KvCacheDtype;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.StepTime;
import java.util.List;

/**
 * Configuration of the {@code sglang} framework: one SGLang engine replica (python/sglang/srt/server_args.py, the
 * defaults of the releases before the current main, reference §7.1) serving a model on GPUs of the hardware
 * catalog. Keys are snake_case in YAML; every component is {@code null} when its key is absent and the compact
 * constructor fills the defaults it can fill alone. What depends on the model, the GPU or the KV pool
 * ({@code context_length}, {@code chunked_prefill_size}, {@code max_running_requests}, the complete
 * {@code hardware}) is filled when the factory resolves the configuration ({@link #completedFor}).
 *
 * @param model a catalog model name or Hugging Face id, or the path of a {@code config.json}; default
 *     {@code llama-3.1-8b}
 * @param hardware the GPU: a catalog name or alias, a file, or a mapping; default {@code H100-SXM-80GB}
 * @param tensorParallelSize GPUs of the replica, 1 to 8, dividing the attention heads; default 1
 * @param dtype weight dtype ({@code bf16}, {@code fp16}, {@code fp8}); default {@code bf16}
 * @param kvCacheDtype KV cache dtype ({@code auto} follows {@code dtype}); default {@code auto}
 * @param pageSize tokens per KV page of the radix tree and the pool; default 1
 * @param memFractionStatic fraction of GPU memory for weights and the KV pool, in (0, 1); default by
 *     {@code tensor_parallel_size} as {@code ServerArgs._handle_gpu_memory_settings} of older releases: 0.88, 0.87,
 *     0.85, 0.81 for 1, 2, 4, 8 GPUs (with 3, 5, 6, 7 taking the next larger size's value)
 * @param maxRunningRequests most requests in the running batch; default as SGLang derives it: {@code min(pool
 *     tokens / 2, request slots)}, the request-to-token pool's slots being {@code pool tokens / context_length x 512}
 *     clamped to [2048, 4096] ({@code ModelRunner.init_memory_pool}, {@code max_num_reqs}; the scheduler's
 *     {@code max_running_requests} in {@code tp_worker.py}); at least 1
 * @param maxPrefillTokens most tokens of one prefill batch; default 16384
 * @param chunkedPrefillSize most tokens one request prefills in one step, at least {@code page_size}; default by
 *     GPU memory as
 *     {@code ServerArgs}: under 35 GB 2048, up to 60 GB 4096, up to 160 GB (A100-80GB, H100, H200) 8192, larger
 *     (B200, MI300) 16384
 * @param schedulePolicy {@code fcfs}, {@code lpm}, {@code dfs-weight}, {@code lof} or {@code random}; default
 *     {@code fcfs}
 * @param scheduleConservativeness scales the initial {@code new_token_ratio}; positive; default 1.0
 * @param radixEvictionPolicy {@code lru}, {@code lfu}, {@code fifo}, {@code mru}, {@code filo} or {@code priority};
 *     default {@code lru}
 * @param disableRadixCache no prefix reuse: every request prefills its whole prompt; default false
 * @param enableMixedChunk prefill and decode in one batch; default false, and {@code true} is refused (not modelled
 *     yet)
 * @param stepTime step-time model: {@code physics} or {@code roofline}; default {@code physics}
 * @param contextLength context limit of one request (prompt plus output); default the model's
 * @param disableOverlapSchedule run the scheduler's CPU work between GPU steps instead of beside them
 *     ({@code --disable-overlap-schedule}); default false: SGLang's overlap scheduler, which plans the next batch while
 *     the GPU runs the current one, so a step takes the longer of the two rather than their sum
 * @param overheads the SGLang engine's own costs outside the forward pass; default {@link SglangOverheads}' estimates,
 *     uncalibrated
 */
public record SglangConfig(
        String model,
        HardwareSpec hardware,
        Integer tensorParallelSize,
        Dtype dtype,
        KvCacheDtype kvCacheDtype,
        Integer pageSize,
        Double memFractionStatic,
        Integer maxRunningRequests,
        Integer maxPrefillTokens,
        Integer chunkedPrefillSize,
        String schedulePolicy,
        Double scheduleConservativeness,
        String radixEvictionPolicy,
        Boolean disableRadixCache,
        Boolean enableMixedChunk,
        StepTime stepTime,
        Integer contextLength,
        Boolean disableOverlapSchedule,
        SglangOverheads overheads) {

    /** The {@code model} when the key is absent. */
    public static final String DEFAULT_MODEL = "llama-3.1-8b";
    /** The bound on the derived {@code max_running_requests}. */
    public static final int MAX_DERIVED_RUNNING_REQUESTS = 4096;
    /** The fewest request slots SGLang's request-to-token pool is given. */
    static final int MIN_REQUEST_SLOTS = 2048;

    private static final List<String> SCHEDULE_POLICIES = List.of("fcfs", "lpm", "dfs-weight", "lof", "random");
    private static final List<String> EVICTION_POLICIES = List.of("lru", "lfu", "fifo", "mru", "filo", "priority");
    private static final double GB = 1e9;
    private static final double GIB = 1024.0 * 1024 * 1024;

    public SglangConfig {
        model = orDefault(model, DEFAULT_MODEL);
        tensorParallelSize = orDefault(tensorParallelSize, 1);
        if (tensorParallelSize < 1 || tensorParallelSize > 8) {
            throw ServesimException.config("tensor_parallel_size", "must be between 1 and 8, got "
                    + tensorParallelSize);
        }
        dtype = orDefault(dtype, Dtype.BF16);
        kvCacheDtype = orDefault(kvCacheDtype, KvCacheDtype.AUTO);
        pageSize = positive("page_size", orDefault(pageSize, 1));
        memFractionStatic = orDefault(memFractionStatic, defaultMemFractionStatic(tensorParallelSize));
        if (!(memFractionStatic > 0 && memFractionStatic < 1)) {
            throw ServesimException.config("mem_fraction_static", "must be in (0, 1), got " + memFractionStatic);
        }
        if (maxRunningRequests != null) {
            positive("max_running_requests", maxRunningRequests);
        }
        maxPrefillTokens = positive("max_prefill_tokens", orDefault(maxPrefillTokens, 16384));
        if (chunkedPrefillSize != null && chunkedPrefillSize < pageSize) {
            throw ServesimException.config("chunked_prefill_size", "must be at least page_size (" + pageSize
                    + "), got " + chunkedPrefillSize);
        }
        schedulePolicy = orDefault(schedulePolicy, "fcfs");
        if (!SCHEDULE_POLICIES.contains(schedulePolicy)) {
            throw ServesimException.config("schedule_policy", "must be one of " + SCHEDULE_POLICIES + ", got '"
                    + schedulePolicy + "'");
        }
        scheduleConservativeness = orDefault(scheduleConservativeness, 1.0);
        if (!(scheduleConservativeness > 0) || Double.isInfinite(scheduleConservativeness)) {
            throw ServesimException.config("schedule_conservativeness", "must be positive, got "
                    + scheduleConservativeness);
        }
        radixEvictionPolicy = orDefault(radixEvictionPolicy, "lru");
        if (!EVICTION_POLICIES.contains(radixEvictionPolicy)) {
            throw ServesimException.config("radix_eviction_policy", "must be one of " + EVICTION_POLICIES + ", got '"
                    + radixEvictionPolicy + "'");
        }
        disableRadixCache = orDefault(disableRadixCache, false);
        if (Boolean.TRUE.equals(enableMixedChunk)) {
            throw ServesimException.config("enable_mixed_chunk", "is not modelled yet; set it to false");
        }
        enableMixedChunk = false;
        stepTime = orDefault(stepTime, StepTime.PHYSICS);
        if (contextLength != null && contextLength < 2) {
            throw ServesimException.config("context_length", "must be at least 2, got " + contextLength);
        }
        disableOverlapSchedule = orDefault(disableOverlapSchedule, false);
        overheads = orDefault(overheads, SglangOverheads.ESTIMATES);
    }

    /** SGLang's older default by tensor-parallel size (reference §7.1). */
    static double defaultMemFractionStatic(int tensorParallelSize) {
        if (tensorParallelSize >= 16) {
            return 0.79;
        } else if (tensorParallelSize >= 8) {
            return 0.81;
        } else if (tensorParallelSize >= 4) {
            return 0.85;
        } else if (tensorParallelSize >= 2) {
            return 0.87;
        }
        return 0.88;
    }

    /** {@code chunked_prefill_size} by GPU memory, as {@code ServerArgs} (reference §7.1). */
    static int defaultChunkedPrefillSize(HardwareSpec hardware) {
        double gb = hardware.cudaMemoryGib() * GIB / GB;
        if (gb < 35) {
            return 2048;
        } else if (gb <= 60) {
            return 4096;
        } else if (gb <= 160) {
            return 8192;
        }
        return 16384;
    }

    /**
     * This configuration completed for its model, GPU and KV pool: the model's catalog name, the complete GPU, and
     * {@code context_length}, {@code chunked_prefill_size} and {@code max_running_requests} filled. Completing a
     * completed configuration gives it back.
     *
     * @param poolTokens KV slots of the pool ({@code max_total_num_tokens})
     * @throws ServesimException (CONFIG) naming the key of the first value the model or GPU rules out
     */
    public SglangConfig completedFor(ModelSpec modelSpec, HardwareSpec hardwareSpec, long poolTokens) {
        requireNonNull(modelSpec, "modelSpec is null");
        requireNonNull(hardwareSpec, "hardwareSpec is null");
        String name = modelSpec.name();
        if (modelSpec.attentionHeads() % tensorParallelSize != 0) {
            throw ServesimException.config("tensor_parallel_size", tensorParallelSize + " does not divide the "
                    + modelSpec.attentionHeads() + " attention heads of " + name);
        }
        int context = orDefault(contextLength, modelSpec.contextLength());
        if (context > modelSpec.contextLength()) {
            throw ServesimException.config("context_length", "must be at most the context length "
                    + modelSpec.contextLength() + " of " + name + ", got " + context);
        }
        int chunk = orDefault(chunkedPrefillSize, defaultChunkedPrefillSize(hardwareSpec));
        int running = maxRunningRequests != null ? maxRunningRequests : defaultMaxRunningRequests(poolTokens, context);
        return new SglangConfig(name, hardwareSpec, tensorParallelSize, dtype, kvCacheDtype, pageSize,
                memFractionStatic, running, maxPrefillTokens, chunk, schedulePolicy, scheduleConservativeness,
                radixEvictionPolicy, disableRadixCache, enableMixedChunk, stepTime, context, disableOverlapSchedule,
                overheads);
    }

    /**
     * SGLang's default {@code max_running_requests}: half the pool's tokens, capped by the request-to-token pool's
     * slots, {@code pool / context_length x 512} clamped to [2048, {@value #MAX_DERIVED_RUNNING_REQUESTS}]
     * ({@code python/sglang/srt/model_executor/model_runner.py}, {@code init_memory_pool}).
     */
    static int defaultMaxRunningRequests(long poolTokens, int contextLength) {
        long slots = Math.min(Math.max(poolTokens * 512 / contextLength, MIN_REQUEST_SLOTS),
                MAX_DERIVED_RUNNING_REQUESTS);
        return (int) Math.max(1, Math.min(poolTokens / 2, slots));
    }

    /** Bytes of one KV cache element: 1 for FP8, else 2; {@code auto} follows {@code dtype}. */
    public int kvCacheBytesPerElement() {
        return kvCacheDtype.bytesPerElement(dtype);
    }

    /** Bytes of one weight element: 1 for FP8, else 2. */
    public int weightBytesPerElement() {
        return dtype.bytesPerElement();
    }
}
