package {{package}}.config;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

/**
 * Configuration of the workload source {@code {{name}}}: the {@code workload} section, keys in snake_case.
 *
 * @param requests requests to send (default 100)
 * @param rate requests per second (default 10)
 */
public record {{prefix}}Config(Integer requests, Double rate) {

    public {{prefix}}Config {
        requests = positive("requests", orDefault(requests, 100));
        rate = positive("rate", orDefault(rate, 10.0));
    }
}
