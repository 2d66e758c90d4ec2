package {{package}}.config;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

/**
 * Configuration of the framework {@code {{name}}}: the {@code framework} section, keys in snake_case.
 *
 * @param tokenLatency seconds from arrival to the first token and between consecutive tokens (default 0.02)
 */
public record {{prefix}}Config(Double tokenLatency) {

    public {{prefix}}Config {
        tokenLatency = positive("token_latency", orDefault(tokenLatency, 0.02));
    }
}
