package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.cli.TestingCommandLine.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sglang engine through the command line: its run, its outputs, and a comparison with the vllm engine. */
class SglangRunTest {

    /** Agentic sessions on shared prefixes, and a cache section that only the vllm engine reads. */
    private static final String RUN = """
            name: agents
            seed: 5
            framework: {name: sglang, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cache: {strategy: block-hash}
            workload:
              source: multiturn
              rate: 1
              duration: 20
              turns: 4
              think_time: 1
              prefix_count: 2
              prefix_tokens: 1000
              prompt_tokens_distribution: {type: lognormal, mean: 200, stddev: 100}
              output_tokens_distribution: {type: lognormal, mean: 100, stddev: 60}
            sinks: [json, csv]
            """;

    private static Path run(Path folder, String name, String config, String... more) throws Exception {
        Path file = Files.writeString(folder.resolve(name + ".yaml"), config);
        Path out = folder.resolve(name);
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"run", file.toString(), "--out", out.toString(), "--plugins",
                folder.resolve("none").toString()}, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        Result result = TestingCommandLine.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return out;
    }

    @Test
    void theSummaryNamesTheEnginesRadixCacheAndEveryRequestEndsOnceDeterministically(@TempDir Path folder)
            throws Exception {
        Path out = run(folder, "agents", RUN);

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        // the sglang engine keeps its own radix tree: the configured block-hash strategy is not what ran
        assertThat(summary.at("/prefix_cache/strategy").asText()).isEqualTo("radix");
        assertThat(summary.at("/prefix_cache/token_hit_rate").asDouble()).isGreaterThan(0.5);
        assertThat(summary.at("/engine/radix_hit_tokens").asLong())
                .isEqualTo(summary.at("/prefix_cache/tokens_saved").asLong());
        assertThat(summary.at("/engine/prefill_steps").asLong()).isPositive();
        long arrived = summary.at("/requests/arrived").asLong();
        assertThat(arrived).isPositive();
        assertThat(summary.at("/requests/completed").asLong() + summary.at("/requests/rejected").asLong()
                + summary.at("/requests/unfinished").asLong()).isEqualTo(arrived);
        assertThat(Files.readAllLines(out.resolve("requests.csv"))).hasSize((int) arrived + 1);

        Path again = run(folder, "again", RUN);
        assertThat(Files.readAllBytes(again.resolve("requests.csv")))
                .isEqualTo(Files.readAllBytes(out.resolve("requests.csv")));

        Path off = run(folder, "off", RUN, "--set", "framework.disable_radix_cache=true");
        JsonNode without = new ObjectMapper().readTree(off.resolve("summary.json").toFile());
        assertThat(without.at("/prefix_cache/strategy").asText()).isEqualTo("disabled");
        assertThat(without.at("/prefix_cache/token_hit_rate").asDouble()).isZero();
    }

    @Test
    void compareVariesTheFrameworkAcrossBothEngines(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("agents.yaml"), RUN.replace("name: sglang", "name: vllm"));
        Result result = TestingCommandLine.run("compare", file.toString(), "--vary", "framework.name=vllm,sglang",
                "--out", folder.resolve("out").toString(), "--plugins", folder.resolve("none").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode vllm = new ObjectMapper().readTree(folder.resolve("out/framework.name-vllm/summary.json").toFile());
        JsonNode sglang = new ObjectMapper().readTree(
                folder.resolve("out/framework.name-sglang/summary.json").toFile());
        assertThat(vllm.at("/prefix_cache/strategy").asText()).isEqualTo("block-hash");
        assertThat(sglang.at("/prefix_cache/strategy").asText()).isEqualTo("radix");
        // the same sessions reach both engines
        assertThat(sglang.at("/workload").toString()).isEqualTo(vllm.at("/workload").toString());
    }
}
