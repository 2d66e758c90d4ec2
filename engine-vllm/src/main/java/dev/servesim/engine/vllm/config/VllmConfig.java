package dev.servesim.engine.vllm.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;
import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.KvCacheDtype;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.CoefficientBound;
import dev.servesim.engine.common.steptime.StepTime;
import java.util.List;

/**
 * Configuration of the {@code vllm} framework: one vLLM V1 engine replica (v0.15 behaviour) serving a model on GPUs of
 * the hardware catalog. Keys are snake_case in YAML; every component is {@code null} when its key is absent and the
 * compact constructor fills the defaults it can fill alone. The record is plain data and reads no file: what depends
 * on the model or the GPU, which a key may name by a file, is filled when the factory resolves the configuration
 * ({@link #completedFor}) - the complete {@code hardware}, the model's catalog name, {@code max_model_len},
 * {@code max_num_seqs} and {@code max_num_batched_tokens} - so the resolved record holds the effective configuration,
 * except {@code numGpuBlocks}, {@code cpuOffloadGb}, {@code cpuOffloadBlocks} and {@code coefficients}, which stay
 * {@code null} unless set, and {@code coefficientBound}, {@code null} with the {@code roofline} step time.
 *
 * @param model a catalog model name or Hugging Face id ({@link ModelSpec#catalog()}), or the path of a Hugging Face
 *     {@code config.json} (or of a folder holding one), relative paths resolved against the working directory;
 *     default {@code llama-3.1-8b}
 * @param hardware the GPU: a catalog name or alias, the path of a YAML or JSON file describing one, or such a
 *     description as a mapping ({@link HardwareSpec}); default {@code H100-SXM-80GB}; resolved, it holds every figure
 * @param tensorParallelSize GPUs per pipeline stage, 1 to 8, dividing the attention heads; default 1
 * @param pipelineParallelSize pipeline stages, each holding a contiguous share of the layers on its own
 *     {@code tensor_parallel_size} GPUs, 1 to the number of layers; default 1
 * @param dtype weight dtype: {@code bf16} (also {@code bfloat16}), {@code fp16} (also {@code float16}, {@code half})
 *     or {@code fp8}, ignoring case; default {@code bf16}
 * @param kvCacheDtype KV cache dtype: {@code auto} (same as {@code dtype}), {@code bf16}, {@code fp16},
 *     {@code fp8}, {@code fp8_e4m3} or {@code fp8_e5m2}, ignoring case; default {@code auto}
 * @param maxNumSeqs most requests in the running batch; default as {@code vllm serve}: 1024 on GPUs with at least
 *     70 GiB whose name has no "a100", else 256, then capped at {@code max_num_batched_tokens}
 * @param maxNumBatchedTokens token budget of one step; default as {@code vllm serve}: 8192 or 2048 by the same rule,
 *     then capped at {@code max_num_seqs * max_model_len}
 * @param maxModelLen context limit of one request (prompt plus output); default the model's context length
 * @param blockSize tokens per KV block: 1, 8, 16, 32, 64, 128 or 256; default 16
 * @param numGpuBlocks replaces the KV block count derived from memory (vLLM's {@code --num-gpu-blocks-override});
 *     {@code null} to derive it
 * @param gpuMemoryUtilization fraction of device memory for weights, activations and KV cache, in (0, 1];
 *     default 0.9
 * @param cpuOffloadGb CPU memory for the KV offloading tier in GiB, over all GPUs of the replica (vLLM's
 *     {@code --kv-offloading-size}); {@code null} or 0 for no CPU tier
 * @param cpuOffloadBlocks the CPU tier's size in blocks instead of {@code cpu_offload_gb}; {@code null} or 0 for none
 * @param longPrefillTokenThreshold most tokens a request is given in one step, 0 for no limit; default 0
 * @param schedulingPolicy {@code fcfs} or {@code priority}, ignoring case; default {@code fcfs}
 * @param asyncScheduling vLLM's {@code --async-scheduling}: plan the next step while the current one executes, so a
 *     request arriving during a step joins the step after the next; default {@code true} (vLLM v0.15's default)
 *     without pipeline parallelism; not modelled with {@code pipeline_parallel_size} above 1
 * @param stepTime step-time model: {@code physics} (fitted) or {@code roofline}, ignoring case; default
 *     {@code physics}
 * @param coefficients a properties file of physics coefficients replacing the built-in ones (relative paths
 *     resolved against the working directory); only with {@code step_time: physics}; {@code null} for the built-in
 *     {@code physics-coefficients-v4} (fitted)
 * @param coefficientBound {@code fitted}, {@code slow} or {@code fast}, ignoring case: the fitted coefficients, or each
 *     term that has a 90% bootstrap interval in the coefficients file ({@code interval.<term>} keys) at the end of it
 *     that makes steps slower (the upper end of a cost in seconds, the lower end of an efficiency) or faster; only
 *     with {@code step_time: physics}; default {@code fitted} ({@code null} with {@code roofline})
 * @param mfu roofline: fraction of the tensor-core peak that GEMMs and attention reach, in (0, 1], replacing the
 *     GPU's own {@code efficiency.gemm} and {@code efficiency.attention}; {@code null} (default) to use them
 * @param mbu roofline: fraction of the memory bandwidth that weight and KV reads reach, in (0, 1], replacing the GPU's
 *     {@code efficiency.memory}; {@code null} (default) to use it
 * @param stepOverhead roofline: fixed time of one engine step, seconds, replacing the physical default of the
 *     step-time model ({@code step_overhead_seconds} of {@code docs/engine-vllm.md}); {@code null} (default) to use it
 */
public record VllmConfig(
        String model,
        HardwareSpec hardware,
        Integer tensorParallelSize,
        Integer pipelineParallelSize,
        Dtype dtype,
        KvCacheDtype kvCacheDtype,
        Integer maxNumSeqs,
        Integer maxNumBatchedTokens,
        Integer maxModelLen,
        Integer blockSize,
        Integer numGpuBlocks,
        Double gpuMemoryUtilization,
        Double cpuOffloadGb,
        Integer cpuOffloadBlocks,
        Integer longPrefillTokenThreshold,
        SchedulingPolicy schedulingPolicy,
        Boolean asyncScheduling,
        StepTime stepTime,
        String coefficients,
        CoefficientBound coefficientBound,
        Double mfu,
        Double mbu,
        Double stepOverhead) {

    private static final List<Integer> BLOCK_SIZES = List.of(1, 8, 16, 32, 64, 128, 256);

    /** The {@code model} when the key is absent. */
    public static final String DEFAULT_MODEL = "llama-3.1-8b";

    public VllmConfig {
        model = orDefault(model, DEFAULT_MODEL);
        tensorParallelSize = orDefault(tensorParallelSize, 1);
        if (tensorParallelSize < 1 || tensorParallelSize > 8) {
            throw ServesimException.config("tensor_parallel_size", "must be between 1 and 8, got " + tensorParallelSize);
        }
        pipelineParallelSize = positive("pipeline_parallel_size", orDefault(pipelineParallelSize, 1));
        dtype = orDefault(dtype, Dtype.BF16);
        kvCacheDtype = orDefault(kvCacheDtype, KvCacheDtype.AUTO);
        if (maxNumSeqs != null) {
            positive("max_num_seqs", maxNumSeqs);
        }
        if (maxNumBatchedTokens != null) {
            positive("max_num_batched_tokens", maxNumBatchedTokens);
        }
        if (maxNumSeqs != null && maxNumBatchedTokens != null && maxNumSeqs > maxNumBatchedTokens) {
            throw ServesimException.config("max_num_seqs", "must be at most max_num_batched_tokens ("
                    + maxNumBatchedTokens + "), got " + maxNumSeqs);
        }

        blockSize = orDefault(blockSize, 16);
        if (!BLOCK_SIZES.contains(blockSize)) {
            throw ServesimException.config("block_size", "must be one of " + BLOCK_SIZES + ", got " + blockSize);
        }
        if (numGpuBlocks != null && numGpuBlocks < 2) {
            throw ServesimException.config("num_gpu_blocks", "must be at least 2 (block 0 is vLLM's null block), got "
                    + numGpuBlocks);
        }
        gpuMemoryUtilization = fraction("gpu_memory_utilization", orDefault(gpuMemoryUtilization, 0.9));
        if (cpuOffloadGb != null) {
            nonNegative("cpu_offload_gb", cpuOffloadGb);
        }
        if (cpuOffloadBlocks != null) {
            nonNegative("cpu_offload_blocks", cpuOffloadBlocks);
        }
        if (cpuOffloadGb != null && cpuOffloadBlocks != null) {
            throw ServesimException.config("cpu_offload_blocks", "set either cpu_offload_gb or cpu_offload_blocks,"
                    + " not both");
        }
        longPrefillTokenThreshold = nonNegative("long_prefill_token_threshold", orDefault(longPrefillTokenThreshold, 0));
        schedulingPolicy = orDefault(schedulingPolicy, SchedulingPolicy.FCFS);
        if (Boolean.TRUE.equals(asyncScheduling) && pipelineParallelSize > 1) {
            throw ServesimException.config("async_scheduling", "is not modelled with pipeline_parallel_size "
                    + pipelineParallelSize + " (vLLM v0.15 keeps one batch in flight per stage); set it to false");
        }
        asyncScheduling = orDefault(asyncScheduling, pipelineParallelSize == 1);
        stepTime = orDefault(stepTime, StepTime.PHYSICS);
        if (coefficients != null && stepTime != StepTime.PHYSICS) {
            throw ServesimException.config("coefficients", "is only used with step_time: physics");
        }
        if (coefficientBound != null && stepTime != StepTime.PHYSICS) {
            throw ServesimException.config("coefficient_bound", "is only used with step_time: physics");
        }
        if (stepTime == StepTime.PHYSICS) {
            coefficientBound = orDefault(coefficientBound, CoefficientBound.FITTED);
        }
        if ((mfu != null || mbu != null || stepOverhead != null) && stepTime != StepTime.ROOFLINE) {
            throw ServesimException.config(mfu != null ? "mfu" : mbu != null ? "mbu" : "step_overhead",
                    "is only used with step_time: roofline");
        }
        if (mfu != null) {
            fraction("mfu", mfu);
        }
        if (mbu != null) {
            fraction("mbu", mbu);
        }
        if (stepOverhead != null) {
            nonNegative("step_overhead", stepOverhead);
        }
    }

    /**
     * This configuration completed for the model and GPU it names, as the factory resolves it: the model's catalog
     * name, the complete GPU description, and the defaults that depend on them ({@code max_model_len},
     * {@code max_num_seqs}, {@code max_num_batched_tokens}), every value checked against the model's shape.
     * Completing a completed configuration gives it back.
     *
     * @param modelSpec what {@code model} names ({@link ModelSpec#resolve})
     * @param hardwareSpec what {@code hardware} names, complete ({@link HardwareSpec#resolve})
     * @throws ServesimException (CONFIG) naming the key of the first value the model or GPU rules out
     */
    public VllmConfig completedFor(ModelSpec modelSpec, HardwareSpec hardwareSpec) {
        requireNonNull(modelSpec, "modelSpec is null");
        requireNonNull(hardwareSpec, "hardwareSpec is null");
        String name = modelSpec.name();
        if (modelSpec.attentionHeads() % tensorParallelSize != 0) {
            throw ServesimException.config("tensor_parallel_size", tensorParallelSize + " does not divide the "
                    + modelSpec.attentionHeads() + " attention heads of " + name);
        }
        // as vLLM: KV heads are split across ranks, or replicated when the ranks outnumber them
        if (modelSpec.kvHeads() % tensorParallelSize != 0 && tensorParallelSize % modelSpec.kvHeads() != 0) {
            throw ServesimException.config("tensor_parallel_size", tensorParallelSize + " neither divides nor is a"
                    + " multiple of the " + modelSpec.kvHeads() + " KV heads of " + name);
        }
        if (pipelineParallelSize > modelSpec.layers()) {
            throw ServesimException.config("pipeline_parallel_size", "must be at most the " + modelSpec.layers()
                    + " layers of " + name + ", got " + pipelineParallelSize);
        }
        int maxLen = orDefault(maxModelLen, modelSpec.contextLength());
        if (maxLen < 2 || maxLen > modelSpec.contextLength()) {
            throw ServesimException.config("max_model_len", "must be between 2 and the context length "
                    + modelSpec.contextLength() + " of " + name + ", got " + maxLen);
        }
        // as vLLM v0.15 EngineArgs._set_default_args (usage context OPENAI_API_SERVER) and SchedulerConfig
        boolean large = hardwareSpec.largeServingDefaults();
        int seqs = maxNumSeqs != null ? maxNumSeqs : large ? 1024 : 256;
        int batched = maxNumBatchedTokens != null
                ? maxNumBatchedTokens
                : (int) Math.min(large ? 8192 : 2048, (long) seqs * maxLen);
        if (maxNumSeqs == null) {
            seqs = Math.min(seqs, batched);
        }
        return new VllmConfig(name, hardwareSpec, tensorParallelSize, pipelineParallelSize, dtype, kvCacheDtype, seqs,
                batched, maxLen, blockSize, numGpuBlocks, gpuMemoryUtilization, cpuOffloadGb, cpuOffloadBlocks,
                longPrefillTokenThreshold, schedulingPolicy, asyncScheduling, stepTime, coefficients, coefficientBound,
                mfu, mbu, stepOverhead);
    }

    /** Bytes of one KV cache element: 1 for FP8, else 2; {@code auto} follows {@code dtype}. */
    public int kvCacheBytesPerElement() {
        return kvCacheDtype.bytesPerElement(dtype);
    }

    /** Bytes of one weight element: 1 for FP8, else 2. */
    public int weightBytesPerElement() {
        return dtype.bytesPerElement();
    }

    private static double fraction(String key, double value) {
        if (!(value > 0 && value <= 1)) {
            throw ServesimException.config(key, "must be in (0, 1], got " + value);
        }
        return value;
    }
}
