package {{package}}.config;

import static dev.servesim.api.ConfigValues.orDefault;

import dev.servesim.api.ServesimException;

/**
 * Configuration of the metric sink {@code {{name}}}: its entry in the {@code sinks} list, keys in snake_case.
 *
 * @param file name of the file it writes in the run's output folder (default {@code request-counts.txt})
 */
public record {{prefix}}Config(String file) {

    public {{prefix}}Config {
        file = orDefault(file, "request-counts.txt");
        if (file.isBlank() || file.equals(".") || file.equals("..") || file.contains("/") || file.contains("\\")) {
            throw ServesimException.config("file", "must be a file name without a folder, got '" + file + "'");
        }
    }
}
