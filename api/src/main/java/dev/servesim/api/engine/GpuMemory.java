package dev.servesim.api.engine;

import static java.util.Objects.requireNonNull;

/**
 * How an engine replica plans the memory of one of its GPUs (the most loaded one), as vLLM's start-up log reports it.
 * Sizes are in GiB (2^30 bytes); an engine that does not model memory reports {@link #UNKNOWN}.
 *
 * @param gpu the GPU's name, e.g. {@code H100-SXM-80GB} (a hardware catalog name); empty if unknown
 * @param gpusPerReplica GPUs of one replica (tensor-parallel size x pipeline stages); 0 if unknown
 * @param totalGib device memory as CUDA reports it
 * @param budgetGib the part the engine may use (vLLM: {@code gpu_memory_utilization} x total)
 * @param weightsGib model weights resident on the GPU
 * @param reserveGib memory kept for activations and other non-KV use (vLLM: the profiled activation peak and the
 *     memory outside torch's allocator)
 * @param kvCacheGib memory for the KV cache: budget - weights - reserve
 * @since API 0.4 (additive)
 */
public record GpuMemory(String gpu, int gpusPerReplica, double totalGib, double budgetGib, double weightsGib,
        double reserveGib, double kvCacheGib) {

    /** An engine that does not model GPU memory. */
    public static final GpuMemory UNKNOWN = new GpuMemory("", 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);

    public GpuMemory {
        requireNonNull(gpu, "gpu is null");
        if (gpusPerReplica < 0) {
            throw new IllegalArgumentException("gpusPerReplica must be >= 0, got " + gpusPerReplica);
        }
    }

    /** True if the engine reported its memory. */
    public boolean known() {
        return gpusPerReplica > 0;
    }
}
