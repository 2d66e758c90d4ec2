package {{package}}.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;

/**
 * Configuration of the router {@code {{name}}}: the {@code cluster.router} section, keys in snake_case.
 *
 * @param firstReplica index of the replica that gets the first request (default 0)
 */
public record {{prefix}}Config(Integer firstReplica) {

    public {{prefix}}Config {
        firstReplica = nonNegative("first_replica", orDefault(firstReplica, 0));
    }
}
