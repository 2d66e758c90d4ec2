package dev.servesim.workload.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Binds JSON to configuration records the way the runner binds YAML sections: snake_case keys, unknown keys fail,
 * no float-to-int coercion. The runner's mapper lives in a module plugins do not see, so its settings are repeated
 * here.
 */
final class ConfigBinding {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
            .disable(MapperFeature.OVERRIDE_PUBLIC_ACCESS_MODIFIERS)
            .build();

    private ConfigBinding() {}

    /** Binds {@code json} (single quotes allowed for readability) to {@code type}. */
    static <T> T bind(String json, Class<T> type) throws JsonProcessingException {
        return MAPPER.readValue(json.replace('\'', '"'), type);
    }

    /** The record as the runner writes it to the resolved configuration, bound again. */
    static <T> T roundTrip(T config, Class<T> type) throws JsonProcessingException {
        return MAPPER.readValue(MAPPER.writeValueAsString(config), type);
    }

    /** The record as JSON. */
    static String write(Object config) throws JsonProcessingException {
        return MAPPER.writeValueAsString(config);
    }
}
