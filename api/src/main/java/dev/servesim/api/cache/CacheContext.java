package dev.servesim.api.cache;

import dev.servesim.api.sim.RandomStreams;
import dev.servesim.api.sim.SimClock;

/**
 * What a cache strategy knows of its pool and the simulator.
 *
 * <p>It grows without breaking plugins or the code that builds it: a later API version adds a component (one more
 * accessor) and keeps the previous canonical constructor as a constructor that gives the new component a neutral
 * value. It stays a record rather than becoming an interface with default methods, because plugins compiled against
 * it call its accessors as methods of a class, and those calls would fail to link against an interface.
 *
 * @param blocks number of usable blocks; ids are {@code 0 .. blocks-1}
 * @param blockSizeTokens tokens per block
 * @param replica engine replica index
 * @param clock simulated clock (for recency)
 * @param random random streams under {@code cache/<name>/<replica>}
 */
public record CacheContext(int blocks, int blockSizeTokens, int replica, SimClock clock, RandomStreams random) {

    public CacheContext {
        if (blocks < 1 || blockSizeTokens < 1) {
            throw new IllegalArgumentException("pool needs at least one block of at least one token: "
                    + blocks + " x " + blockSizeTokens);
        }
        java.util.Objects.requireNonNull(clock, "clock is null");
        java.util.Objects.requireNonNull(random, "random is null");
    }
}
