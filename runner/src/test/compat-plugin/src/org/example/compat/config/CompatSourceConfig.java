package org.example.compat.config;

import static dev.servesim.api.ConfigValues.orDefault;

/** Workload {@code compat-turns}: {@code sessions} sessions of two turns, one session start every {@code interval} s. */
public record CompatSourceConfig(Integer sessions, Double interval, Integer outputTokens) {

    public CompatSourceConfig {
        sessions = orDefault(sessions, 4);
        interval = orDefault(interval, 0.5);
        outputTokens = orDefault(outputTokens, 8);
    }
}
