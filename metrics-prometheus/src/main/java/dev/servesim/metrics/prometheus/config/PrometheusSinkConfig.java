package dev.servesim.metrics.prometheus.config;

import static dev.servesim.api.ConfigValues.orDefault;

import dev.servesim.api.ServesimException;

/**
 * Configuration of the {@code prometheus} sink.
 *
 * @param host address to bind (default {@code 127.0.0.1}, loopback only)
 * @param port TCP port (default 9400; 0 picks a free port, which is printed and written to {@code prometheus.address})
 */
public record PrometheusSinkConfig(String host, Integer port) {

    /** Default port of the endpoint. */
    public static final int DEFAULT_PORT = 9400;

    public PrometheusSinkConfig {
        host = orDefault(host, "127.0.0.1");
        if (host.isBlank()) {
            throw ServesimException.config("host", "must not be empty");
        }
        port = orDefault(port, DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw ServesimException.config("port", "must be between 0 and 65535, got " + port);
        }
    }
}
