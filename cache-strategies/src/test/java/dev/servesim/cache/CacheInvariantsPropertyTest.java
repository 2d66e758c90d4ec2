package dev.servesim.cache;

import dev.servesim.api.cache.KvCacheStrategy;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every strategy, random request sequences never drive a reference count negative, never free a block twice,
 * never hand out a referenced block or exceed the pool, never return a hit whose block does not hold that content,
 * and keep every block either free (with or without cached content) or referenced; each strategy's own structures
 * are checked after every operation too. Each strategy runs many cases (pool size, block size, traffic seed) drawn
 * from a fixed seed, so runs are repeatable and a failure names the case that reproduces it.
 */
class CacheInvariantsPropertyTest {

    private static final int CASES = 300;
    private static final int OPERATIONS = 400;

    @ParameterizedTest
    @ValueSource(strings = {"disabled", "session", "session-own-context-only", "block-hash", "radix"})
    void randomTrafficKeepsThePoolConsistent(String strategy) {
        SplittableRandom cases = new SplittableRandom(strategy.hashCode());
        for (int k = 0; k < CASES; k++) {
            int blocks = 1 + cases.nextInt(40);
            int blockSize = 1 + cases.nextInt(4);
            long seed = cases.nextLong();
            try {
                runCase(strategy, blocks, blockSize, seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(strategy + " failed with blocks=" + blocks + ", blockSize=" + blockSize
                        + ", seed=" + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static void runCase(String strategy, int blocks, int blockSize, long seed) {
        switch (strategy) {
            case "disabled" -> run(new DisabledCache(blocks), () -> { }, blocks, blockSize, seed);
            case "session" -> {
                SessionCache cache = new SessionCache(blocks, blockSize, true);
                run(cache, cache::verify, blocks, blockSize, seed);
            }
            case "session-own-context-only" -> {
                SessionCache cache = new SessionCache(blocks, blockSize, false);
                run(cache, cache::verify, blocks, blockSize, seed);
            }
            case "block-hash" -> {
                BlockHashCache cache = new BlockHashCache(blocks, blockSize);
                run(cache, cache::verify, blocks, blockSize, seed);
            }
            case "radix" -> {
                RadixCache cache = new RadixCache(blocks, blockSize);
                run(cache, cache::verify, blocks, blockSize, seed);
            }
            default -> throw new IllegalArgumentException(strategy);
        }
    }

    private static void run(KvCacheStrategy cache, Runnable verify, int blocks, int blockSize, long seed) {
        RandomTraffic.run(cache, verify, blocks, blockSize, seed, OPERATIONS);
    }
}
