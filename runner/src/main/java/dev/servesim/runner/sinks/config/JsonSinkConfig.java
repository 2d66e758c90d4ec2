package dev.servesim.runner.sinks.config;

import static dev.servesim.api.ConfigValues.orDefault;

/**
 * Configuration of the {@code json} sink.
 *
 * @param file summary file name inside the output folder (default {@code summary.json})
 */
public record JsonSinkConfig(String file) {

    public JsonSinkConfig {
        file = FileNames.check("file", orDefault(file, "summary.json"));
    }
}
