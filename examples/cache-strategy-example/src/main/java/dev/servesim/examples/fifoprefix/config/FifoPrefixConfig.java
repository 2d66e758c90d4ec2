package dev.servesim.examples.fifoprefix.config;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

/**
 * Configuration of the {@code fifo-prefix} strategy.
 *
 * @param minHitBlocks shortest cached prefix worth reusing, in blocks; shorter hits are reported as misses and
 *     recomputed (default 1: every hit is used)
 */
public record FifoPrefixConfig(Integer minHitBlocks) {

    public FifoPrefixConfig {
        minHitBlocks = positive("min_hit_blocks", orDefault(minHitBlocks, 1));
    }
}
