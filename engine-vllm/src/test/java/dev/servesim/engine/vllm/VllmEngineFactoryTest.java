package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.TestingEngineContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VllmEngineFactoryTest {

    /** A small Llama-style config.json. */
    private static final String CONFIG_JSON = """
            {"model_type": "llama", "num_hidden_layers": 4, "hidden_size": 512, "num_attention_heads": 8,
             "num_key_value_heads": 8, "intermediate_size": 1024, "vocab_size": 32000,
             "max_position_embeddings": 4096}
            """;

    @TempDir
    Path folder;

    @Test
    void theModelFileIsReadOnceForEveryReplicaOfAConfiguration() throws Exception {
        Path file = Files.writeString(folder.resolve("config.json"), CONFIG_JSON);
        VllmConfig bound = TestingVllmConfig.bound("model", file.toString());
        VllmEngineFactory factory = new VllmEngineFactory();

        VllmConfig resolved = factory.resolve(bound);
        Files.delete(file);

        // the replicas, and another section with the same settings, use what was read when it was resolved
        for (int replica = 0; replica < 3; replica++) {
            assertThat(factory.create(resolved, new TestingEngineContext()).info().maxModelLen()).isEqualTo(4096);
        }
        assertThat(factory.resolve(bound)).isEqualTo(resolved);
        assertThat(factory.create(bound, new TestingEngineContext()).info().properties())
                .containsEntry("model", file.toString());
        // a factory that has not seen it reads the file, which is gone
        assertThatThrownBy(() -> new VllmEngineFactory().create(resolved, new TestingEngineContext()))
                .isInstanceOf(ServesimException.class)
                .hasMessageStartingWith("model: unknown model '" + file + "'");
    }

    @Test
    void remembersABoundedNumberOfConfigurations() throws Exception {
        Path file = Files.writeString(folder.resolve("config.json"), CONFIG_JSON);
        VllmConfig first = TestingVllmConfig.bound("model", file.toString());
        VllmEngineFactory factory = new VllmEngineFactory();
        factory.resolve(first);

        // each configuration is remembered as bound and as resolved
        for (int seqs = 1; seqs <= VllmEngineFactory.MAX_SETUPS / 2; seqs++) {
            factory.resolve(TestingVllmConfig.bound("max_num_seqs", seqs));
        }
        Files.delete(file);

        assertThatThrownBy(() -> factory.resolve(first)).hasMessageStartingWith("model: unknown model");
    }

    @Test
    void runsResolvingAtOnceGetTheSameConfigurations() throws Exception {
        VllmEngineFactory factory = new VllmEngineFactory();
        List<VllmConfig> bound = new ArrayList<>();
        for (int seqs = 1; seqs <= VllmEngineFactory.MAX_SETUPS; seqs++) {
            bound.add(TestingVllmConfig.bound("max_num_seqs", seqs));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<VllmConfig>>> runs = new ArrayList<>();
            for (int run = 0; run < 4; run++) {
                runs.add(threads.submit(() -> bound.stream().map(factory::resolve).toList()));
            }
            List<VllmConfig> expected = bound.stream().map(new VllmEngineFactory()::resolve).toList();
            for (Future<List<VllmConfig>> run : runs) {
                assertThat(run.get()).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
