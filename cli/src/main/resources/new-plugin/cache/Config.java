package {{package}}.config;

import static dev.servesim.api.ConfigValues.orDefault;

import dev.servesim.api.ServesimException;

/**
 * Configuration of the KV cache strategy {@code {{name}}}: the {@code cache} section, keys in snake_case.
 *
 * @param reuse which free block is reused first: {@code fifo}, the one released longest ago (default), or
 *     {@code lifo}, the one released last
 */
public record {{prefix}}Config(String reuse) {

    /** Reuse the block released longest ago first. */
    public static final String FIFO = "fifo";
    /** Reuse the block released last first. */
    public static final String LIFO = "lifo";

    public {{prefix}}Config {
        reuse = orDefault(reuse, FIFO);
        if (!reuse.equals(FIFO) && !reuse.equals(LIFO)) {
            throw ServesimException.config("reuse", "must be fifo or lifo, got " + reuse);
        }
    }
}
