package org.example.compat.config;

import static dev.servesim.api.ConfigValues.orDefault;

/** Sink {@code compat-tally}: counts records by status and cache event into {@code file}. */
public record CompatSinkConfig(String file) {

    public CompatSinkConfig {
        file = orDefault(file, "compat-tally.txt");
    }
}
