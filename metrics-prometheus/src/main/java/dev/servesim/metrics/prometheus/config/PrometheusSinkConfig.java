package dev.servesim.metrics.prometheus.config;

import static dev.servesim.api.ConfigValues.orDefault;

import dev.servesim.api.ServesimException;

/**
 * Configuration of the {@code prometheus} sink.
 *
 * @param host address to bind (default {@code 127.0.0.1}: loopback only; {@code 0.0.0.0} serves every interface)
 * @param port TCP port (default {@value #DEFAULT_PORT}; 0 picks a free port, which is logged and written to
 *     {@code prometheus.address} in the output folder). Runs of one process, such as the variants of
 *     {@code servesim compare}, that ask for the same port share its endpoint; with 0 each run gets a port of its own
 * @param vllmNames also export the same figures under the serving engine's own metric names and labels (default
 *     true): SGLang's ({@code sglang:*}) for {@code framework.name: sglang}, vLLM's ({@code vllm:*}) for any other
 *     framework. The key keeps its first name, from when vLLM's were the only ones
 * @param modelName value of the {@code model_name} label of the engine-named families (default: the framework's
 *     {@code model} key, else the framework's name)
 */
public record PrometheusSinkConfig(String host, Integer port, Boolean vllmNames, String modelName) {

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
        vllmNames = orDefault(vllmNames, true);
        if (modelName != null && modelName.isBlank()) {
            throw ServesimException.config("model_name", "must not be empty (leave it out for the framework's model)");
        }
    }
}
