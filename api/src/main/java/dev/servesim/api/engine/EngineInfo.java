package dev.servesim.api.engine;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Static facts about an engine replica.
 *
 * @param kvBlocks usable KV cache blocks (0 if the engine does not model KV memory)
 * @param blockSizeTokens tokens per KV block (0 if not modelled)
 * @param maxModelLen most tokens (prompt plus output) one request may have; 0 if the engine has no limit
 * @param properties further facts in a stable order for the summary and logs (model, hardware, limits), as text
 * @param memory how one GPU's memory is planned, {@link GpuMemory#UNKNOWN} if the engine does not model it (since API
 *     0.4, additive)
 */
public record EngineInfo(int kvBlocks, int blockSizeTokens, int maxModelLen, Map<String, String> properties,
        GpuMemory memory) {

    /**
     * The property naming the engine's own prefix cache, for an engine with a built-in one that takes no
     * {@code cache.strategy} (the runner then reports this name as the run's prefix cache instead of the configured
     * strategy's); e.g. {@code radix}. Since API 0.6, additive.
     */
    public static final String PREFIX_CACHE = "prefix_cache";

    public EngineInfo {
        requireNonNull(properties, "properties is null");
        requireNonNull(memory, "memory is null");
        if (kvBlocks < 0 || blockSizeTokens < 0) {
            throw new IllegalArgumentException("negative KV geometry: " + kvBlocks + " x " + blockSizeTokens);
        }
        if (maxModelLen < 0) {
            throw new IllegalArgumentException("maxModelLen must be >= 0, got " + maxModelLen);
        }
        // keep the caller's order (use a LinkedHashMap); copy so the record stays immutable
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    /** Facts of an engine that does not model GPU memory (before API 0.4). */
    public EngineInfo(int kvBlocks, int blockSizeTokens, int maxModelLen, Map<String, String> properties) {
        this(kvBlocks, blockSizeTokens, maxModelLen, properties, GpuMemory.UNKNOWN);
    }

    /** KV capacity in tokens. */
    public long kvTokens() {
        return (long) kvBlocks * blockSizeTokens;
    }
}
