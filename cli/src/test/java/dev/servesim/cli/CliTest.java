package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.cli.TestingCommandLine.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process, with the built-in plugins found through ServiceLoader. */
class CliTest {

    private static final String SMALL_RUN = """
            name: small
            seed: 3
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            workload: {source: poisson, rate: 20, duration: 10, prompt_tokens: 700, output_tokens: 50}
            """;

    private static Result run(String... args) {
        return TestingCommandLine.run(args);
    }

    @Test
    void runSimulatesTheRealEngineAndWritesEveryOutput(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("small.yaml"), SMALL_RUN);
        Path out = folder.resolve("out");

        Result result = run("run", config.toString(), "--out", out.toString(), "--plugins", folder.resolve("none").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("servesim run 'small' (vllm, disabled, poisson, seed 3)", "TTFT", "E2E");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        long arrived = summary.at("/requests/arrived").asLong();
        assertThat(arrived).isBetween(150L, 250L);
        assertThat(summary.at("/requests/completed").asLong()).isEqualTo(arrived);
        assertThat(summary.at("/latency_ms/ttft/p50").asDouble()).isPositive();
        assertThat(summary.at("/latency_ms/tpot/mean").asDouble()).isBetween(5.0, 20.0);
        assertThat(summary.at("/kv_cache/blocks").asLong()).isGreaterThan(20_000);
        List<String> rows = Files.readAllLines(out.resolve("requests.csv"));
        assertThat(rows).hasSize((int) arrived + 1);
        assertThat(rows.subList(1, rows.size())).allSatisfy(row -> assertThat(row).contains(",700,0,700,50,0,MISS,completed,"));
        assertThat(Files.readString(out.resolve("config.resolved.yaml"))).contains("max_num_batched_tokens: 8192");

        // no SLO: goodput is undefined, not 100 %
        assertThat(summary.at("/goodput/share").isNull()).isTrue();
        assertThat(result.out()).contains("goodput    - (no SLO set)");
        // one H100: 79.19 GiB, 0.9 of it the budget, 14.96 GiB of weights, 1.6 GiB reserve at TP 1
        assertThat(summary.at("/resources/gpus").asInt()).isEqualTo(1);
        assertThat(summary.at("/resources/memory_per_gpu/weights_gib").asDouble()).isBetween(14.9, 15.0);
        assertThat(summary.at("/resources/memory_per_gpu/kv_cache_gib").asDouble()).isCloseTo(
                79.19 * 0.9 - summary.at("/resources/memory_per_gpu/weights_gib").asDouble() - 1.6, within(1e-6));
        long blocks = summary.at("/kv_cache/blocks").asLong();
        assertThat(summary.at("/resources/kv_tokens").asLong()).isEqualTo(blocks * 16);
        // 700 + 50 tokens take 47 blocks of 16
        assertThat(summary.at("/resources/mean_sequence_tokens").asDouble()).isEqualTo(750.0);
        assertThat(summary.at("/resources/max_concurrent_sequences").asLong()).isEqualTo(blocks / 47);
        assertThat(summary.at("/resources/gpu_hours").asDouble()).isCloseTo(
                summary.at("/simulated_seconds").asDouble() / 3600, within(1e-12));
        assertThat(summary.at("/resources/output_tokens_per_gpu_per_s").asDouble()).isCloseTo(
                summary.at("/throughput/output_tokens_per_s").asDouble(), within(1e-9));
        assertThat(summary.at("/resources/cost/usd_per_million_output_tokens").asDouble()).isCloseTo(
                2.99 / 3600 / summary.at("/throughput/output_tokens_per_s").asDouble() * 1e6, within(1e-9));
        assertThat(result.out()).contains("resources  1 GPU (1 x H100-SXM-80GB per replica)",
                "memory     per GPU 14.96 GiB weights + 1.60 reserve + 54.71 KV cache = 71.27 of 79.19 GiB",
                "($2.99 per GPU-hour, built-in table (approximate)); per million tokens $");
    }

    @Test
    void sameSeedGivesByteIdenticalResultsApartFromWallClock(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("small.yaml"), SMALL_RUN);
        String none = folder.resolve("none").toString();
        assertThat(run("run", config.toString(), "--out", folder.resolve("a").toString(), "--plugins", none).exitCode())
                .isZero();
        assertThat(run("run", config.toString(), "--out", folder.resolve("b").toString(), "--plugins", none).exitCode())
                .isZero();
        assertThat(run("run", config.toString(), "--out", folder.resolve("c").toString(), "--seed", "4", "--plugins",
                none).exitCode()).isZero();

        assertThat(summaryWithoutWallClock(folder.resolve("a"))).isEqualTo(summaryWithoutWallClock(folder.resolve("b")));
        assertThat(Files.readAllBytes(folder.resolve("a/requests.csv")))
                .isEqualTo(Files.readAllBytes(folder.resolve("b/requests.csv")));
        assertThat(summaryWithoutWallClock(folder.resolve("c"))).isNotEqualTo(summaryWithoutWallClock(folder.resolve("a")));
    }

    private static String summaryWithoutWallClock(Path out) throws Exception {
        return Files.readString(out.resolve("summary.json")).replaceAll("\"(wall_seconds|simulated_over_wall)\" : [0-9.Ee-]+", "");
    }

    @Test
    void configurationErrorsAreOneClearMessageWithExitCodeTwo(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("bad.yaml"), SMALL_RUN.replace("rate: 20", "rate: -20"));

        Result result = run("run", config.toString(), "--out", folder.resolve("out").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("servesim: " + config + ":4:29: workload.rate: must be a positive "
                + "number, got -20.0");
        assertThat(result.err()).doesNotContain("Exception", "\tat ");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void aPluginRefusingItsConfigurationAtStartIsAlsoOneMessageWithExitCodeTwo(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("long.yaml"), """
                framework: {name: vllm, max_model_len: 4096}
                workload: {source: multiturn, rate: 1, duration: 10, prompt_tokens: 9000}
                """);

        Result result = run("run", config.toString(), "--out", folder.resolve("out").toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).contains("prompt_tokens").doesNotContain("Guice", "Exception");
    }

    @Test
    void dumpTraceWritesAReplayableTrace(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("small.yaml"), SMALL_RUN);
        Path trace = folder.resolve("dumped.jsonl");

        Result result = run("run", config.toString(), "--out", folder.resolve("out").toString(), "--dump-trace",
                trace.toString(), "--quiet");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines.get(0)).contains("\"servesim_trace\"");
        JsonNode summary = new ObjectMapper().readTree(folder.resolve("out/summary.json").toFile());
        assertThat(lines).hasSize((int) summary.at("/requests/arrived").asLong() + 1);
        Path replay = Files.writeString(folder.resolve("replay.yaml"), """
                framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
                workload: {source: trace, file: %s}
                """.formatted(trace));
        Result replayed = run("run", replay.toString(), "--out", folder.resolve("replayed").toString(), "--quiet");
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        JsonNode again = new ObjectMapper().readTree(folder.resolve("replayed/summary.json").toFile());
        assertThat(again.at("/requests/completed").asLong()).isEqualTo(summary.at("/requests/completed").asLong());
        assertThat(again.at("/throughput/output_tokens_per_s").asDouble())
                .isEqualTo(summary.at("/throughput/output_tokens_per_s").asDouble());
    }

    @Test
    void timelineWritesATraceOfEveryRequestAndStep(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("small.yaml"), SMALL_RUN);
        Path out = folder.resolve("out");

        Result result = run("run", config.toString(), "--out", out.toString(), "--timeline", "--quiet");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode trace = new ObjectMapper().readTree(out.resolve("timeline.json").toFile());
        assertThat(trace.at("/displayTimeUnit").asText()).isEqualTo("ms");
        long requests = 0;
        long prefillTokens = 0;
        long kvCounters = 0;
        for (JsonNode event : trace.get("traceEvents")) {
            String name = event.get("name").asText();
            if (name.startsWith("request ")) {
                requests++;
            } else if (event.at("/args/prefill_tokens").isNumber()) {
                prefillTokens += event.at("/args/prefill_tokens").asLong();
            } else if (name.equals("kv cache")) {
                kvCounters++;
            }
        }
        long arrived = summary.at("/requests/arrived").asLong();
        assertThat(requests).isEqualTo(arrived);
        // no prefix cache and no preemption: the steps computed every prompt token once
        assertThat(summary.at("/kv_cache/preemptions").asLong()).isZero();
        assertThat(prefillTokens).isEqualTo(700 * arrived);
        assertThat(kvCounters).isPositive();
        assertThat(trace.at("/otherData/steps_left_out").asLong()).isZero();
        assertThat(Files.readString(out.resolve("config.resolved.yaml"))).contains("name: timeline");

        // a configuration that lists the sink keeps its settings, and gets no second one
        Path listed = Files.writeString(folder.resolve("listed.yaml"), SMALL_RUN
                + "sinks: [json, {name: timeline, file: trace.json}]\n");
        Result again = run("run", listed.toString(), "--out", folder.resolve("listed").toString(), "--timeline",
                "--quiet");
        assertThat(again.exitCode()).as(again.err()).isZero();
        try (Stream<Path> files = Files.list(folder.resolve("listed"))) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted())
                    .containsExactly("config.resolved.yaml", "summary.json", "trace.json");
        }
    }

    @Test
    void setOverridesAndSeedOption(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("small.yaml"), SMALL_RUN);
        Result result = run("validate", config.toString(), "--set", "framework.max_num_seqs=64", "--set",
                "workload.rate=2");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("max_num_seqs: 64", "rate: 2.0", "block_size: 16");
        assertThat(result.err()).contains("is valid");

        Result bad = run("validate", config.toString(), "--set", "framework.max_num_seqs=many");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--set framework.max_num_seqs=many: framework.max_num_seqs: expected an integer");
    }

    /**
     * Issue 14, finding 7: validate said "valid" where run refused before simulating. Each of these is now refused
     * by both, with the same one-line message, and validate writes nothing.
     */
    @Test
    void validateRefusesWhatRunRefusesBeforeItsFirstEvent(@TempDir Path folder) throws Exception {
        String framework = "framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}\n";
        String poisson = "workload: {source: poisson, rate: 1, duration: 5}\n";
        List<String> configs = List.of(
                framework + "workload: {source: trace, file: " + folder.resolve("missing.jsonl") + "}\n",
                "framework: {name: vllm, model: llama-3.1-70b, hardware: H100-SXM-80GB}\n" + poisson,
                framework + "workload: {source: synthetic, rate: 1, total_duration: 5, profiles: [{name: chat, "
                        + "prompt_tokens: {type: pareto, shape: 0.9, scale: 100}}]}\n",
                framework + poisson + "sinks: [json, {name: prometheus, host: no.such.host.invalid, port: 0}]\n",
                framework + poisson + "sinks: [json, {name: trace-dump, file: " + folder.resolve("a-file/trace.jsonl")
                        + "}]\n");
        Files.writeString(folder.resolve("a-file"), "not a folder");
        String none = folder.resolve("none").toString();
        for (int i = 0; i < configs.size(); i++) {
            Path config = Files.writeString(folder.resolve("case-" + i + ".yaml"), configs.get(i));
            Path out = folder.resolve("out-" + i);

            Result validate = run("validate", config.toString(), "--plugins", none);
            Result simulate = run("run", config.toString(), "--out", out.toString(), "--plugins", none);

            assertThat(validate.exitCode()).as(configs.get(i) + validate.err()).isEqualTo(2);
            assertThat(simulate.exitCode()).as(simulate.err()).isEqualTo(2);
            assertThat(validate.err()).isEqualTo(simulate.err()).hasLineCount(1);
            assertThat(out).doesNotExist();
        }
        assertThat(folder.resolve("runs")).doesNotExist();
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("frobnicate").exitCode()).isEqualTo(2);
        assertThat(run("run").exitCode()).isEqualTo(2);
        assertThat(run().exitCode()).isEqualTo(2);
        assertThat(run("run", "--bogus", "x.yaml").exitCode()).isEqualTo(2);
    }

    @Test
    void pluginsListsEveryExtensionPoint() {
        Result result = run("plugins");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Frameworks (framework.name):", "vllm", "Cache strategies (cache.strategy):",
                "disabled", "Workload sources (workload.source):", "poisson", "Metric sinks (sinks.name):", "json",
                "csv", "prometheus", "module dev.servesim.engine.vllm");
    }

    @Test
    void schemaCoversPluginSectionsAndDefaults() throws Exception {
        Result result = run("schema");
        assertThat(result.exitCode()).isZero();
        JsonNode schema = new ObjectMapper().readTree(result.out());
        assertThat(schema.at("/properties/framework/properties/name/enum").toString()).contains("vllm");
        assertThat(schema.at("/properties/framework/properties/name/enum").toString()).contains("sglang");
        // one conditional section per framework, found by the name it applies to
        JsonNode section = null;
        for (JsonNode conditional : schema.at("/properties/framework/allOf")) {
            if (conditional.at("/if/properties/name/const").asText().equals("vllm")) {
                section = conditional;
            }
        }
        assertThat(section).as("the vllm section of the framework schema").isNotNull();
        JsonNode vllm = section.at("/then/properties");
        assertThat(vllm.at("/max_num_batched_tokens/type").asText()).isEqualTo("integer");
        assertThat(vllm.at("/block_size/default").asInt()).isEqualTo(16);
        assertThat(vllm.at("/gpu_memory_utilization/default").asDouble()).isEqualTo(0.9);
        assertThat(section.at("/then/additionalProperties").asBoolean()).isFalse();
        assertThat(schema.at("/properties/workload/allOf/0/then/properties/rate/type").asText()).isEqualTo("number");
        assertThat(schema.at("/properties/sinks/items/anyOf/0/enum").toString()).contains("json", "csv");
    }

    @Test
    void versionAndHelp() {
        Result version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("servesim ").contains("plugin API 0.6");
        Result help = run("run", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--out", "--seed", "--set", "CONFIG");
    }
}
