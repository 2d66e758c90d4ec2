package dev.servesim.runner.sinks.config;

import static dev.servesim.api.ConfigValues.orDefault;

/**
 * Configuration of the {@code html} sink.
 *
 * @param file report file name inside the output folder (default {@code report.html})
 */
public record HtmlSinkConfig(String file) {

    public HtmlSinkConfig {
        file = FileNames.check("file", orDefault(file, "report.html"));
    }
}
