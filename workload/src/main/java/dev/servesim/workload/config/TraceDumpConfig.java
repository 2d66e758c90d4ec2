package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

import dev.servesim.api.ServesimException;

/**
 * Configuration of the {@code trace-dump} sink, which writes the run's measured trace in the servesim JSONL format.
 *
 * @param file output file; a relative path is resolved against the run's output folder and must stay inside it
 *     (default {@code trace.jsonl})
 * @param blockSize tokens per block of the block hashes written for each prompt (default 16)
 */
public record TraceDumpConfig(String file, Integer blockSize) {

    public TraceDumpConfig {
        file = orDefault(file, "trace.jsonl");
        if (file.isBlank()) {
            throw ServesimException.config("file", "must name a file");
        }
        java.nio.file.Path path;
        try {
            path = java.nio.file.Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            throw ServesimException.config("file", "is not a valid path: '" + file + "'");
        }
        if (!path.isAbsolute() && path.normalize().startsWith("..")) {
            throw ServesimException.config("file", "a relative path must stay inside the run's output folder (an "
                    + "absolute path writes elsewhere), got '" + file + "'");
        }
        blockSize = positive("block_size", orDefault(blockSize, 16));
    }
}
