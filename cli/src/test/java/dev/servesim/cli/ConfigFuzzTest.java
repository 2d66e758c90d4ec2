package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.cli.TestingCommandLine.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated configurations through {@code validate} and {@code run}, as a hostile user would write them (issue 14). For
 * every case: exit code 0 or 2; on 2 a message that names the file (or a key) and no Java internals; no stack trace;
 * no temporary file left; a run that writes results accounts for every request; and a configuration that {@code run}
 * refuses before its first event (no output folder) is refused by {@code validate} too.
 *
 * <p>Plain seeded generation (no property-testing library): the same seed gives the same cases, and a failure prints
 * the configuration that caused it. Runs are bounded by a horizon and {@code max_in_flight}, so no case can hang.
 */
class ConfigFuzzTest {

    private static final int CASES = 300;
    private static final Pattern SLOT = Pattern.compile("\\$\\{(\\w+)}");
    /** Values a hostile or careless user writes. */
    private static final List<String> HOSTILE = List.of("-1", "0", "-16", "1e18", "1e-12", "1e300", "-1e300", ".nan",
            ".inf", "-.inf", "abc", "''", "[]", "{}", "null", "true", "2147483648", "9223372036854775808", "0.5",
            "3", "1", "64", "\"../../escape\"", "/nonexistent/file.jsonl", "[1, 2]", "{a: 1}", "\"\"", "2.5e3",
            "\"\\u0000\"", "x".repeat(300), "llama-3.1-70b", "L4", "no.such.host.invalid", "/etc/hostname/x.jsonl");

    /** Base configurations, each valid as written; {@code ${slot:default}} marks what mutations replace. */
    private static final List<String> TEMPLATES = List.of("""
            name: ${name}
            seed: ${seed}
            horizon: 20
            max_in_flight: 2000
            snapshot_interval: ${snapshot_interval}
            warmup: ${warmup}
            slo: {ttft: ${slo_ttft}, tpot: ${slo_tpot}}
            framework: {name: vllm, model: ${model}, hardware: ${hardware}, tensor_parallel_size: ${tp}, max_num_seqs: ${seqs}, block_size: ${block}}
            cache: {strategy: ${strategy}}
            workload: {source: poisson, rate: ${rate}, duration: ${duration}, prompt_tokens: ${prompt}, output_tokens: ${output}}
            sinks: [json, csv]
            """, """
            name: fuzz-shared
            horizon: 20
            max_in_flight: 2000
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_num_batched_tokens: ${batched}}
            cache: {strategy: block-hash}
            workload:
              source: shared-prefix
              num_unique_system_prompts: ${prompts}
              users_per_system_prompt: ${users}
              system_prompt_len: ${prompt}
              question_len: ${question}
              output_len: ${output}
              load_type: ${load}
              stages: [{rate: ${rate}, duration: ${duration}}]
            """, """
            name: fuzz-multiturn
            horizon: 20
            max_in_flight: 2000
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cache: {strategy: ${strategy}}
            workload: {source: multiturn, rate: ${rate}, duration: ${duration}, turns: ${turns}, think_time: ${think}, prompt_tokens: ${prompt}, output_tokens: ${output}}
            cluster: {replicas: ${replicas}, report_interval: ${report}, router: {name: ${router}}}
            """, """
            name: fuzz-trace
            horizon: 20
            max_in_flight: 2000
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            workload: {source: trace, file: ${trace}, format: ${format}, speedup: ${speedup}, skip_bad_lines: ${skip}}
            sinks: [json, {name: trace-dump, file: ${dump}}, {name: prometheus, host: ${host}, port: 0}]
            """, """
            name: fuzz-synthetic
            horizon: 20
            max_in_flight: 2000
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            workload:
              source: synthetic
              rate: ${rate}
              total_duration: ${duration}
              profiles:
                - name: chat
                  prompt_tokens: {type: ${family}, shape: ${shape}, scale: ${prompt}}
                  max_output_tokens: {type: constant, value: ${output}}
            """);

    private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("name", "fuzz"),
            Map.entry("seed", "1"), Map.entry("snapshot_interval", "1"), Map.entry("warmup", "0"),
            Map.entry("slo_ttft", "1"), Map.entry("slo_tpot", "0.1"), Map.entry("model", "llama-3.1-8b"),
            Map.entry("hardware", "H100-SXM-80GB"), Map.entry("tp", "1"), Map.entry("seqs", "256"),
            Map.entry("block", "16"), Map.entry("strategy", "block-hash"), Map.entry("rate", "5"),
            Map.entry("duration", "10"), Map.entry("prompt", "256"), Map.entry("output", "32"),
            Map.entry("batched", "8192"), Map.entry("prompts", "2"), Map.entry("users", "4"),
            Map.entry("question", "64"), Map.entry("load", "poisson"), Map.entry("turns", "3"),
            Map.entry("think", "1"), Map.entry("replicas", "2"), Map.entry("report", "1"),
            Map.entry("router", "round-robin"), Map.entry("trace", "trace.jsonl"), Map.entry("format", "auto"),
            Map.entry("speedup", "1"), Map.entry("skip", "false"), Map.entry("dump", "dump.jsonl"),
            Map.entry("family", "pareto"), Map.entry("shape", "2.5"), Map.entry("host", "127.0.0.1"));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mutatedConfigurationsFailCleanlyAndValidateAgreesWithRun(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("trace.jsonl"), """
                {"timestamp": 0, "input_length": 300, "output_length": 20, "hash_ids": [1]}
                {"timestamp": 500, "input_length": 700, "output_length": 10, "hash_ids": [1, 2]}
                {"timestamp": 1500, "input_length": 100, "output_length": 5, "hash_ids": [3]}
                """);
        Random random = new Random(14);
        int refusedByBoth = 0;
        int ran = 0;
        for (int i = 0; i < CASES; i++) {
            String template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
            String yaml = mutate(template, random).replace("file: trace.jsonl", "file: " + folder.resolve("trace.jsonl"));
            Path config = folder.resolve("case-" + i + ".yaml");
            Files.writeString(config, yaml);
            Path out = folder.resolve("out-" + i);
            String none = folder.resolve("no-plugins").toString();

            Result validate = TestingCommandLine.run("validate", config.toString(), "--plugins", none);
            Result run = TestingCommandLine.run("run", config.toString(), "--out", out.toString(), "--quiet",
                    "--plugins", none);

            String described = "case " + i + ":\n" + yaml + "\nvalidate: " + validate + "\nrun: " + run;
            assertThat(validate.exitCode()).as(described).isIn(0, 2);
            assertThat(run.exitCode()).as(described).isIn(0, 2);
            assertCleanMessage(validate, config, described);
            assertCleanMessage(run, config, described);
            if (run.exitCode() == 2 && !Files.exists(out)) {
                // refused before the first event: validate must have said so
                assertThat(validate.exitCode()).as("validate agrees with run; " + described).isEqualTo(2);
                refusedByBoth++;
            }
            if (validate.exitCode() == 2) {
                assertThat(run.exitCode()).as("run refuses what validate refuses; " + described).isEqualTo(2);
                assertThat(out).as(described).doesNotExist();
            }
            if (Files.exists(out)) {
                assertNoTemporaryFiles(out, described);
                assertRequestsConserved(out, described);
                ran++;
            }
        }
        // the mutations must exercise both sides
        assertThat(refusedByBoth).isGreaterThan(CASES / 5);
        assertThat(ran).isGreaterThan(CASES / 5);
    }

    private static String mutate(String template, Random random) {
        List<String> slots = new ArrayList<>();
        Matcher matcher = SLOT.matcher(template);
        while (matcher.find()) {
            slots.add(matcher.group(1));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String slot : slots) {
            values.put(slot, DEFAULTS.get(slot));
        }
        int mutations = random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            values.put(slots.get(random.nextInt(slots.size())), HOSTILE.get(random.nextInt(HOSTILE.size())));
        }
        StringBuilder text = new StringBuilder();
        matcher = SLOT.matcher(template);
        while (matcher.find()) {
            matcher.appendReplacement(text, Matcher.quoteReplacement(values.get(matcher.group(1))));
        }
        matcher.appendTail(text);
        List<String> lines = new ArrayList<>(text.toString().lines().toList());
        switch (random.nextInt(8)) {
            case 0 -> lines.remove(random.nextInt(lines.size()));
            case 1 -> lines.add(random.nextInt(lines.size() + 1), "bogus_key: 1");
            case 2 -> lines.set(random.nextInt(lines.size()), lines.get(random.nextInt(lines.size())));
            default -> { }
        }
        return String.join("\n", lines) + "\n";
    }

    private static void assertCleanMessage(Result result, Path config, String described) {
        if (result.exitCode() == 0) {
            return;
        }
        String err = result.err().strip();
        assertThat(err).as(described).startsWith("servesim: ");
        assertThat(err).as(described).doesNotContain("Exception", "\tat ", "java.", "com.fasterxml", "com.google",
                "JsonReadFeature", "--verbose");
        // one message, or a numbered list of problems under one line
        List<String> lines = err.lines().toList();
        assertThat(lines.subList(1, lines.size())).as(described)
                .allSatisfy(line -> assertThat(line).matches("  \\d+\\. .*"));
        assertThat(err).as("names the file or a key; " + described)
                .containsAnyOf(config.getFileName().toString(), ": ");
    }

    private static void assertNoTemporaryFiles(Path out, String described) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(Path::toString)).as(described).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    private static void assertRequestsConserved(Path out, String described) throws IOException {
        Path summaryFile = out.resolve("summary.json");
        assertThat(summaryFile).as(described).exists();
        JsonNode requests = JSON.readTree(summaryFile.toFile()).get("requests");
        assertThat(requests.get("arrived").asLong()).as(described).isEqualTo(requests.get("completed").asLong()
                + requests.get("rejected").asLong() + requests.get("unfinished").asLong());
    }
}
