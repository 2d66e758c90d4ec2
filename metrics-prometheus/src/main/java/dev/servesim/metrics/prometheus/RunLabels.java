package dev.servesim.metrics.prometheus;

import static java.util.Objects.requireNonNull;

import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the sink's series are labelled with, read from the run's resolved configuration (the YAML the runner writes
 * to {@code config.resolved.yaml}: block style, two-space indentation, a component's name under its section).
 *
 * @param run the run's name
 * @param framework {@code framework.name}
 * @param cacheStrategy {@code cache.strategy}
 * @param modelName the engine-named families' {@code model_name}
 * @param maxModelLen {@code framework.max_model_len}, the top of vLLM's token-count buckets
 * @param kvPageTokens {@code framework.page_size}, tokens per KV block of SGLang's pool (1 if the framework has none),
 *     which turns KV blocks into SGLang's {@code num_used_tokens}
 */
record RunLabels(String run, String framework, String cacheStrategy, String modelName, int maxModelLen,
        int kvPageTokens) {

    static final String UNKNOWN = "unknown";
    /** vLLM's max_model_len for Llama-3.1 models, used when the framework has no such key. */
    static final int DEFAULT_MAX_MODEL_LEN = 131072;

    RunLabels {
        requireNonNull(run, "run is null");
        requireNonNull(framework, "framework is null");
        requireNonNull(cacheStrategy, "cacheStrategy is null");
        requireNonNull(modelName, "modelName is null");
    }

    static RunLabels of(String runName, String resolvedYaml, PrometheusSinkConfig config) {
        Map<String, String> framework = section(resolvedYaml, "framework");
        Map<String, String> cache = section(resolvedYaml, "cache");
        String frameworkName = framework.getOrDefault("name", UNKNOWN);
        String model = config.modelName() != null ? config.modelName()
                : framework.getOrDefault("model", frameworkName);
        return new RunLabels(runName, frameworkName, cache.getOrDefault("strategy", UNKNOWN), model,
                positiveInt(framework.get("max_model_len"), DEFAULT_MAX_MODEL_LEN),
                positiveInt(framework.get("page_size"), 1));
    }

    /** The scalar keys of a top-level section, in block style or as a one-line flow map. */
    static Map<String, String> section(String yaml, String name) {
        Map<String, String> keys = new LinkedHashMap<>();
        boolean inside = false;
        for (String line : yaml.split("\n", -1)) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            boolean topLevel = !Character.isWhitespace(line.charAt(0));
            if (topLevel) {
                inside = line.startsWith(name + ":");
                if (inside) {
                    String rest = line.substring(name.length() + 1).strip();
                    if (rest.startsWith("{") && rest.endsWith("}")) {
                        for (String pair : rest.substring(1, rest.length() - 1).split(",")) {
                            put(keys, pair);
                        }
                    }
                }
            } else if (inside && line.startsWith("  ") && !Character.isWhitespace(line.charAt(2))) {
                put(keys, line);
            }
        }
        return keys;
    }

    private static void put(Map<String, String> keys, String pair) {
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return;
        }
        String key = pair.substring(0, colon).strip();
        String value = unquote(pair.substring(colon + 1).strip());
        if (!key.isEmpty() && !value.isEmpty() && !value.equals("null") && !value.equals("~")) {
            keys.put(key, value);
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static int positiveInt(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            return parsed > 0 ? parsed : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
