package dev.servesim.core;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.sim.RandomStreams;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Random streams whose seeds mix the run seed with the stream's full name (FNV-1a of the UTF-8 name, then
 * SplitMix64 finalisation), so each stream depends only on the seed and its own name. Generators are
 * L64X128MixRandom, whose algorithm is fixed by the JDK specification, so draws are the same on every JDK 17+.
 */
public final class SeededRandomStreams implements RandomStreams {

    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of("L64X128MixRandom");

    private final long seed;
    private final String prefix;

    public SeededRandomStreams(long seed) {
        this(seed, "");
    }

    private SeededRandomStreams(long seed, String prefix) {
        this.seed = seed;
        this.prefix = prefix;
    }

    @Override
    public RandomGenerator stream(String name) {
        return FACTORY.create(streamSeed(seed, fullName(name)));
    }

    @Override
    public RandomStreams child(String childPrefix) {
        return new SeededRandomStreams(seed, fullName(childPrefix));
    }

    /** The full name a stream called {@code name} has in this view, e.g. {@code workload/poisson/arrivals}. */
    public String fullName(String name) {
        requireNonNull(name, "name is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("stream name is empty");
        }
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    static long streamSeed(long seed, String fullName) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : fullName.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        long z = seed * 0x9E3779B97F4A7C15L + hash;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
