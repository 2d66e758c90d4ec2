package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

import dev.servesim.api.ServesimException;

/**
 * Configuration of the {@code trace-dump} sink, which writes the run's measured trace in the servesim JSONL format.
 *
 * @param file output file; a relative path is resolved against the run's output folder (default
 *     {@code trace.jsonl})
 * @param blockSize tokens per block of the block hashes written for each prompt (default 16)
 */
public record TraceDumpConfig(String file, Integer blockSize) {

    public TraceDumpConfig {
        file = orDefault(file, "trace.jsonl");
        if (file.isBlank()) {
            throw ServesimException.config("file", "must name a file");
        }
        blockSize = positive("block_size", orDefault(blockSize, 16));
    }
}
