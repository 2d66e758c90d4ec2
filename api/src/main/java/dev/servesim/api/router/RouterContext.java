package dev.servesim.api.router;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.sim.RandomStreams;
import dev.servesim.api.sim.SimClock;

/**
 * What a router knows of the cluster when it is created.
 *
 * <p>It grows without breaking plugins or the code that builds it: a later API version adds a component (one more
 * accessor) and keeps the previous canonical constructor as a constructor that gives the new component a neutral
 * value. It stays a record rather than becoming an interface with default methods, because plugins compiled against
 * it call its accessors as methods of a class, and those calls would fail to link against an interface.
 *
 * @param replicas number of engine replicas, at least 1; fixed for the run
 * @param blockSizeTokens tokens per KV block of the replicas, 0 if their engines do not model KV blocks
 * @param clock simulated clock
 * @param random random streams under {@code router/<name>}
 */
public record RouterContext(int replicas, int blockSizeTokens, SimClock clock, RandomStreams random) {

    public RouterContext {
        if (replicas < 1) {
            throw new IllegalArgumentException("a cluster needs at least one replica, got " + replicas);
        }
        if (blockSizeTokens < 0) {
            throw new IllegalArgumentException("block size must be >= 0, got " + blockSizeTokens);
        }
        requireNonNull(clock, "clock is null");
        requireNonNull(random, "random is null");
    }
}
