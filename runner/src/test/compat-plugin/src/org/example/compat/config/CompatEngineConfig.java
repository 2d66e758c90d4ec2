package org.example.compat.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;

/** Engine {@code compat-engine}: first token {@code ttft} s after admission, then one token every {@code itl} s. */
public record CompatEngineConfig(Double ttft, Double itl, Integer kvBlocks, Integer blockSizeTokens) {

    public CompatEngineConfig {
        ttft = nonNegative("ttft", orDefault(ttft, 0.1));
        itl = nonNegative("itl", orDefault(itl, 0.01));
        kvBlocks = orDefault(kvBlocks, 64);
        blockSizeTokens = orDefault(blockSizeTokens, 16);
    }
}
