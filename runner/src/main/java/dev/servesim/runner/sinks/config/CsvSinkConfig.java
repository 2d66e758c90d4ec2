package dev.servesim.runner.sinks.config;

import static dev.servesim.api.ConfigValues.orDefault;

/**
 * Configuration of the {@code csv} sink.
 *
 * @param file per-request file name inside the output folder (default {@code requests.csv})
 */
public record CsvSinkConfig(String file) {

    public CsvSinkConfig {
        file = FileNames.check("file", orDefault(file, "requests.csv"));
    }
}
