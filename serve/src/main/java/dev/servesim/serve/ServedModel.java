package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.runner.RunConfiguration;

/**
 * What the server tells clients about the model, and the limits it checks before a request reaches the engine.
 *
 * @param name the served model name: what {@code /v1/models} lists and requests must name (or leave out)
 * @param maxModelLen most tokens (prompt plus output) one request may have; 0 if the engine states no limit
 * @param blockSizeTokens tokens per KV block, the granularity of prefix matching ({@link PromptBlocks})
 * @param createdEpochSeconds when the server started, wall clock, as {@code created} of {@code /v1/models}
 */
record ServedModel(String name, int maxModelLen, int blockSizeTokens, long createdEpochSeconds) {

    /** The block size assumed when the framework's configuration names none. */
    static final int DEFAULT_BLOCK_SIZE = 16;

    ServedModel {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the served model name is empty");
        }
        if (maxModelLen < 0 || blockSizeTokens < 1) {
            throw new IllegalArgumentException("maxModelLen " + maxModelLen + ", blockSizeTokens " + blockSizeTokens);
        }
    }

    /**
     * The model of {@code configuration}'s {@code framework} section, as resolved (defaults filled in): its
     * {@code model} key (else the framework's name), {@code max_model_len} and {@code block_size} (vLLM's names);
     * {@code servedName}, if not null, replaces the name.
     */
    static ServedModel of(RunConfiguration configuration, String servedName, long createdEpochSeconds) {
        JsonNode framework = configuration.resolvedTree().path("framework");
        String name = servedName != null ? servedName
                : framework.path("model").isTextual() ? framework.path("model").asText()
                : configuration.framework().name();
        int maxModelLen = framework.path("max_model_len").canConvertToInt()
                ? Math.max(0, framework.path("max_model_len").asInt()) : 0;
        int blockSize = framework.path("block_size").canConvertToInt() && framework.path("block_size").asInt() > 0
                ? framework.path("block_size").asInt() : DEFAULT_BLOCK_SIZE;
        return new ServedModel(name, maxModelLen, blockSize, createdEpochSeconds);
    }
}
