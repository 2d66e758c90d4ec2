package dev.servesim.engine.common.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads Hugging Face {@code config.json} files and the model catalog with Jackson into plain values: objects become
 * {@code LinkedHashMap}s in document order, arrays {@code ArrayList}s, numbers {@code Integer}, {@code Long} or
 * {@code Double}, and {@code null} Java {@code null}. Hugging Face writes Python's {@code NaN} and {@code Infinity}
 * in some configs, so those are accepted.
 */
final class JsonReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonReader() {}

    /**
     * Parses one JSON value that spans the whole text.
     *
     * @throws IllegalArgumentException naming the line and column of the first error
     */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? "" : "line " + location.getLineNr() + ", column "
                    + location.getColumnNr() + ": ";
            throw new IllegalArgumentException(where + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
    }
}
