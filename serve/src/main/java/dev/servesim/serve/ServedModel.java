package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
        return of(configuration, servedName, createdEpochSeconds, MissingNode.getInstance());
    }

    /**
     * The model replica {@code replica} of {@code configuration} serves: as {@link #of(RunConfiguration, String,
     * long)}, with the keys its replica group ({@code cluster.groups}) overrides.
     */
    static ServedModel ofReplica(RunConfiguration configuration, String servedName, long createdEpochSeconds,
            int replica) {
        JsonNode groups = configuration.resolvedTree().path("cluster").path("groups");
        int first = 0;
        for (JsonNode group : groups) {
            int last = first + group.path("replicas").asInt(1);
            if (replica >= first && replica < last) {
                return of(configuration, servedName, createdEpochSeconds, group.path("framework"));
            }
            first = last;
        }
        return of(configuration, servedName, createdEpochSeconds);
    }

    private static ServedModel of(RunConfiguration configuration, String servedName, long createdEpochSeconds,
            JsonNode overrides) {
        JsonNode framework = configuration.resolvedTree().path("framework");
        JsonNode model = key(framework, overrides, "model");
        JsonNode maxModelLen = key(framework, overrides, "max_model_len");
        JsonNode blockSize = key(framework, overrides, "block_size");
        String name = servedName != null ? servedName
                : model.isTextual() ? model.asText()
                : configuration.framework().name();
        int maxLength = maxModelLen.canConvertToInt() ? Math.max(0, maxModelLen.asInt()) : 0;
        int block = blockSize.canConvertToInt() && blockSize.asInt() > 0 ? blockSize.asInt() : DEFAULT_BLOCK_SIZE;
        return new ServedModel(name, maxLength, block, createdEpochSeconds);
    }

    private static JsonNode key(JsonNode framework, JsonNode overrides, String key) {
        return overrides.has(key) ? overrides.path(key) : framework.path(key);
    }
}
