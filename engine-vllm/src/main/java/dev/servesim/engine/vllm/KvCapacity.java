package dev.servesim.engine.vllm;

import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.GpuMemory;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.steptime.ShardedModel;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.util.Locale;

/**
 * KV cache capacity of one replica, derived from memory as vLLM's GPU worker does (vllm/v1/worker/gpu_worker.py,
 * vllm/v1/core/kv_cache_utils.py): {@code kv_bytes = ceil(total * gpu_memory_utilization) - weights - peak activation
 * - non-torch memory}, then {@code num_gpu_blocks = floor(kv_bytes / (page_bytes * layers))}, replaced by
 * {@code num_gpu_blocks} when set. vLLM profiles the activation and non-torch terms with a dummy forward pass; here
 * they are the documented constants below. With pipeline parallelism every stage computes its own count from its
 * weights and layers and the smallest wins, as vLLM takes the minimum over workers.
 *
 * <p>The CPU tier holds {@code cpu_offload_blocks}, or {@code cpu_offload_gb} GiB divided by the bytes of one block
 * over every layer and GPU of the replica (vLLM's OffloadingConnector: {@code cpu_bytes_to_use // (page_bytes *
 * layers * world_size)}).
 *
 * @param numGpuBlocks vLLM's {@code num_gpu_blocks}, including the null block 0
 * @param kvCacheBytes KV memory per GPU of the limiting stage before the override, bytes ("Available KV cache
 *     memory")
 * @param weightBytesPerRank weights resident on the most loaded GPU, bytes ("Model loading took")
 * @param cpuBlocks blocks of the CPU KV tier, 0 without one
 */
record KvCapacity(int numGpuBlocks, double kvCacheBytes, double weightBytesPerRank, int cpuBlocks) {

    static final double GIB = 1024.0 * 1024 * 1024;
    /** Peak activation of vLLM's profiling run; public H100 logs of 8B models show 1.0 to 2.0 GiB. */
    static final double ACTIVATION_RESERVE_BYTES = 1.5 * GIB;
    /** Memory outside torch's allocator (cuBLAS workspaces, attention buffers) at tensor-parallel size 1. */
    static final double NON_TORCH_BYTES_SINGLE_GPU = 0.1 * GIB;
    /** The same with tensor parallelism, which adds NCCL buffers and the custom all-reduce buffers. */
    static final double NON_TORCH_BYTES_TENSOR_PARALLEL = 0.6 * GIB;

    /** Blocks the scheduler can hand out: all but vLLM's null block 0. */
    int usableBlocks() {
        return numGpuBlocks - 1;
    }

    /**
     * The capacity for a configuration.
     *
     * @throws ServesimException (CONFIG) if the weights do not fit, or the pool cannot hold one request of
     *     {@code max_model_len} tokens (vLLM's start-up error)
     */
    static KvCapacity of(VllmConfig config, HardwareSpec hardware, ShardedModel model) {
        double requested = requestedBytes(config, hardware);
        double nonTorch = nonTorchBytes(config);
        long pageBytes = model.pageBytes(config.blockSize());
        long derivedBlocks = Long.MAX_VALUE;
        double limitingKvBytes = 0;
        for (int stage = 0; stage < model.pp(); stage++) {
            double weights = model.stageWeightBytes(stage);
            double kvBytes = requested - weights - ACTIVATION_RESERVE_BYTES - nonTorch;
            if (kvBytes <= 0) {
                throw ServesimException.config("model", "the weights of " + config.model() + " take " + gib(weights)
                        + " GiB per GPU at tensor_parallel_size " + config.tensorParallelSize()
                        + (model.pp() > 1 ? " in pipeline stage " + stage + " of " + model.pp() : "") + "; with "
                        + gib(ACTIVATION_RESERVE_BYTES + nonTorch) + " GiB for activations that leaves no KV cache"
                        + " memory within the " + gib(requested) + " GiB that gpu_memory_utilization "
                        + config.gpuMemoryUtilization() + " of " + hardware.name() + " allows");
            }
            long blocks = (long) Math.floor(kvBytes / (pageBytes * model.stageLayers(stage)));
            if (blocks < derivedBlocks) {
                derivedBlocks = blocks;
                limitingKvBytes = kvBytes;
            }
        }
        long bytesPerBlock = pageBytes * model.maxStageLayers();

        // as vLLM check_enough_kv_cache_memory(): one request of max_model_len must fit in the KV memory
        long blocksForMaxLen = (config.maxModelLen() + config.blockSize() - 1) / config.blockSize();
        if (blocksForMaxLen > derivedBlocks) {
            throw ServesimException.config("max_model_len", "to serve at least one request with max_model_len "
                    + config.maxModelLen() + ", " + gib(blocksForMaxLen * bytesPerBlock)
                    + " GiB of KV cache is needed, more than the available " + gib(limitingKvBytes)
                    + " GiB; the estimated maximum model length is " + derivedBlocks * config.blockSize()
                    + ". Increase gpu_memory_utilization or tensor_parallel_size, or decrease max_model_len");
        }
        long blocks = config.numGpuBlocks() != null ? config.numGpuBlocks() : derivedBlocks;
        if (blocks > Integer.MAX_VALUE - 1 || blocks < 2) {
            throw ServesimException.config("num_gpu_blocks", "KV pool of " + blocks + " blocks is out of range");
        }
        return new KvCapacity((int) blocks, limitingKvBytes, model.weightBytesPerRank(), cpuBlocks(config, model));
    }

    /**
     * How one GPU's memory is planned, for the run summary: the budget, the weights of the most loaded GPU, the
     * activation and non-torch reserve, and the KV cache memory of the limiting stage (before a
     * {@code num_gpu_blocks} override).
     */
    GpuMemory memory(VllmConfig config, HardwareSpec hardware) {
        return new GpuMemory(hardware.name(), config.tensorParallelSize() * config.pipelineParallelSize(),
                hardware.cudaMemoryGib(), requestedBytes(config, hardware) / GIB, weightBytesPerRank / GIB,
                (ACTIVATION_RESERVE_BYTES + nonTorchBytes(config)) / GIB, kvCacheBytes / GIB);
    }

    /** Memory vLLM may use per GPU: {@code ceil(total * gpu_memory_utilization)}, bytes. */
    private static double requestedBytes(VllmConfig config, HardwareSpec hardware) {
        return Math.ceil(hardware.cudaMemoryGib() * GIB * config.gpuMemoryUtilization());
    }

    private static double nonTorchBytes(VllmConfig config) {
        boolean singleGpu = config.tensorParallelSize() == 1 && config.pipelineParallelSize() == 1;
        return singleGpu ? NON_TORCH_BYTES_SINGLE_GPU : NON_TORCH_BYTES_TENSOR_PARALLEL;
    }

    private static int cpuBlocks(VllmConfig config, ShardedModel model) {
        if (config.cpuOffloadBlocks() != null) {
            return config.cpuOffloadBlocks();
        }
        if (config.cpuOffloadGb() == null) {
            return 0;
        }
        double blocks = Math.floor(config.cpuOffloadGb() * GIB / model.blockBytesOverAllGpus(config.blockSize()));
        if (blocks > Integer.MAX_VALUE - 1) {
            throw ServesimException.config("cpu_offload_gb", "a CPU tier of " + blocks + " blocks is out of range");
        }
        return (int) blocks;
    }

    static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / GIB);
    }
}
