package dev.servesim.testing.conformance;

import static dev.servesim.testing.conformance.Kits.assertEveryRequestEnded;
import static dev.servesim.testing.conformance.Kits.assertSameResults;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a KV cache strategy, checked with the real vLLM engine driving it: extend this class in your
 * plugin's tests and return your strategy's {@code cache} section.
 *
 * <p>Every call between the engine and the strategy goes through a monitor that checks the protocol of
 * {@link dev.servesim.api.cache.KvCacheStrategy}: {@code freeBlocks()} always equals the blocks no request
 * references; {@code allocate()} never hands out a referenced block; a hit names at most the blocks asked for, each
 * holding exactly the content of its position in the prompt; statistics never go back and never exceed the pool.
 * The runs put the pool under pressure (small pools, so blocks are evicted and requests preempted; small batch
 * budgets, so prompts are computed in chunks) with multi-turn conversations over shared system prompts, on one
 * replica and on three. At the end every block must be free again, every request must have ended, and a second run
 * with the same seed must give the same results.
 */
public abstract class KvCacheStrategyConformance {

    private static final int CASES = 8;

    /** For subclasses. */
    protected KvCacheStrategyConformance() {}

    /** The configuration's {@code cache} section as a YAML mapping, e.g. {@code {strategy: my-cache}}. */
    protected abstract String cacheSection();

    @Test
    public void keepsTheBlockProtocolWithSmallPoolsAndChunkedPrefills(@TempDir Path folder) {
        // cases from a fixed seed: the same every run, and a failure names the one to reproduce
        SplittableRandom cases = new SplittableRandom(42);
        for (int k = 0; k < CASES; k++) {
            int blockSize = new int[] {8, 16, 32}[cases.nextInt(3)];
            // room for one request of max_model_len tokens, and little more
            int blocks = 1024 / blockSize + 2 + cases.nextInt(3 * 1024 / blockSize);
            int batchTokens = new int[] {64, 256, 2048}[cases.nextInt(3)];
            String framework = String.format(Locale.ROOT, "{name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, "
                    + "max_model_len: 1024, block_size: %d, num_gpu_blocks: %d, max_num_batched_tokens: %d}",
                    blockSize, blocks, batchTokens);
            String yaml = Kits.config(cases.nextLong(), framework, cacheSection(), null,
                    Kits.conversations(4, 10));
            Outcome outcome = ConformanceRun.run(folder, "case-" + k, yaml);
            assertEveryRequestEnded(outcome);
            assertThat(outcome.checks().caches()).as("strategies created").hasSize(1);
            assertThat(outcome.checks().caches().get(0).matches()).as("lookups the engine made").isPositive();
        }
    }

    @Test
    public void keepsEachReplicasPoolApart(@TempDir Path folder) {
        String yaml = Kits.config(7, Kits.ENGINE, cacheSection(), "{replicas: 3, router: {name: round-robin}}",
                Kits.conversations(6, 10));
        Outcome outcome = ConformanceRun.run(folder, "cluster", yaml);

        assertEveryRequestEnded(outcome);
        assertThat(outcome.checks().caches()).as("one strategy per replica").hasSize(3);
    }

    @Test
    public void givesTheSameResultsForTheSameSeed(@TempDir Path folder) throws IOException {
        String framework = "{name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 1024, "
                + "num_gpu_blocks: 100, max_num_batched_tokens: 256}";
        String yaml = Kits.config(11, framework, cacheSection(), null, Kits.conversations(4, 10));
        Outcome first = ConformanceRun.run(Files.createDirectory(folder.resolve("first")), "run", yaml);
        Outcome second = ConformanceRun.run(Files.createDirectory(folder.resolve("second")), "run", yaml);

        assertSameResults(first, second);
    }
}
