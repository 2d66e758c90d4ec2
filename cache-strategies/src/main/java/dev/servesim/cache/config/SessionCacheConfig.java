package dev.servesim.cache.config;

import static dev.servesim.api.ConfigValues.orDefault;

/**
 * Configuration of the {@code session} strategy.
 *
 * @param crossSessionHits whether a request may reuse blocks cached by other sessions (a shared system prompt); when
 *     false, a request reuses only the part of its prompt that it shares with its own session's context
 *     (default true)
 */
public record SessionCacheConfig(Boolean crossSessionHits) {

    public SessionCacheConfig {
        crossSessionHits = orDefault(crossSessionHits, Boolean.TRUE);
    }
}
