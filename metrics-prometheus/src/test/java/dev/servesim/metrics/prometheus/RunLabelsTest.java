package dev.servesim.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunLabelsTest {

    private static final PrometheusSinkConfig DEFAULTS = new PrometheusSinkConfig(null, null, null, null);

    @Test
    void readsFrameworkModelAndCacheStrategyFromTheResolvedConfiguration() {
        RunLabels labels = RunLabels.of("demo", TestingSinks.RESOLVED_YAML, DEFAULTS);

        assertThat(labels).isEqualTo(new RunLabels("demo", "vllm", "block-hash", "llama-3.1-8b", 8192, 1));
    }

    @Test
    void theConfiguredModelNameWins() {
        RunLabels labels = RunLabels.of("demo", TestingSinks.RESOLVED_YAML,
                new PrometheusSinkConfig(null, null, null, "meta-llama/Llama-3.1-8B-Instruct"));

        assertThat(labels.modelName()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    }

    @Test
    void fallsBackWhenKeysAreMissing() {
        RunLabels labels = RunLabels.of("demo", "name: demo\nframework:\n  name: fixed-latency\n  ttft: 0.25\n",
                DEFAULTS);

        assertThat(labels).isEqualTo(new RunLabels("demo", "fixed-latency", RunLabels.UNKNOWN, "fixed-latency",
                RunLabels.DEFAULT_MAX_MODEL_LEN, 1));
        assertThat(RunLabels.of("demo", "", DEFAULTS).framework()).isEqualTo(RunLabels.UNKNOWN);
    }

    @Test
    void readsOnlyTheSectionsOwnKeysQuotedOrNot() {
        String yaml = """
                # comment
                framework:
                  name: "vllm"
                  model: 'a: b'
                  nested:
                    name: not-this
                  max_model_len: null
                cache: {strategy: radix, capacity: 3}
                workload:
                  name: nor-this
                """;

        assertThat(RunLabels.section(yaml, "framework")).isEqualTo(Map.of("name", "vllm", "model", "a: b"));
        assertThat(RunLabels.section(yaml, "cache")).isEqualTo(Map.of("strategy", "radix", "capacity", "3"));
        assertThat(RunLabels.of("demo", yaml, DEFAULTS).maxModelLen()).isEqualTo(RunLabels.DEFAULT_MAX_MODEL_LEN);
    }
}
