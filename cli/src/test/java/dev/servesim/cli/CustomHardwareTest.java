package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.cli.TestingCommandLine.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GPU the catalog lacks, given inline or in a file, through the command line with the built-in plugins. */
class CustomHardwareTest {

    private static final String GPU = """
            name: test-gpu-48
            memory_gib: 44.5
            memory_bandwidth_tb_per_second: 0.96
            l2_cache_mib: 96
            dense_tflops: {bf16: 362, fp8: 724}
            interconnect: {name: PCIe Gen4 x16, topology: pcie, bandwidth_gb_per_second: 64, latency: 0.00003}
            host_link_gb_per_second: 32
            efficiency: {gemm: 0.6, attention: 0.5, memory: 0.85, interconnect: 0.6}
            source: a test
            """;

    private static final String RUN = """
            name: custom
            seed: 5
            framework:
              name: vllm
              model: llama-3.1-8b
              hardware: %s
            workload: {source: poisson, rate: 10, duration: 8, prompt_tokens: 600, output_tokens: 40}
            sinks: [json, csv]
            """;

    /** Every figure of {@link #GPU} as config.resolved.yaml writes it (indented under framework.hardware). */
    private static final String[] RESOLVED_FIGURES = {"name: test-gpu-48", "memory_gib: 44.5",
        "memory_bandwidth_tb_per_second: 0.96", "l2_cache_mib: 96.0", "bf16: 362.0", "fp16: 362.0", "fp8: 724.0",
        "name: PCIe Gen4 x16", "topology: pcie", "bandwidth_gb_per_second: 64.0", "links: 1", "latency: 3.0E-5",
        "host_link_gb_per_second: 32.0", "gemm: 0.6", "attention: 0.5", "memory: 0.85", "interconnect: 0.6",
        "source: a test"};

    private static Result run(String... args) {
        return TestingCommandLine.run(args);
    }

    private static String inline(String gpu) {
        return "\n" + gpu.indent(4).stripTrailing();
    }

    @Test
    void anInlineGpuRunsAndAppearsWithEveryFigureInTheResolvedConfiguration(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("custom.yaml"), RUN.formatted(inline(GPU)));

        Result result = run("run", config.toString(), "--out", folder.resolve("a").toString(), "--quiet");

        assertThat(result.exitCode()).as(result.err()).isZero();
        String resolved = Files.readString(folder.resolve("a/config.resolved.yaml"));
        assertThat(resolved).contains(RESOLVED_FIGURES);
        // under 70 GiB: vllm serve's small defaults
        assertThat(resolved).contains("max_num_seqs: 256", "max_num_batched_tokens: 2048");
        JsonNode summary = new ObjectMapper().readTree(folder.resolve("a/summary.json").toFile());
        assertThat(summary.at("/requests/completed").asLong()).isPositive()
                .isEqualTo(summary.at("/requests/arrived").asLong());
    }

    @Test
    void rerunningTheResolvedConfigurationGivesIdenticalRequests(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("custom.yaml"), RUN.formatted(inline(GPU)));
        assertThat(run("run", config.toString(), "--out", folder.resolve("a").toString(), "--quiet").exitCode())
                .isZero();

        Result again = run("run", folder.resolve("a/config.resolved.yaml").toString(), "--out",
                folder.resolve("b").toString(), "--quiet");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("b/requests.csv")))
                .isEqualTo(Files.readAllBytes(folder.resolve("a/requests.csv")));
        assertThat(Files.readString(folder.resolve("b/config.resolved.yaml"))).contains(RESOLVED_FIGURES);
    }

    @Test
    void aGpuFileNextToTheConfigurationGivesTheSameRunAsTheMapping(@TempDir Path folder) throws Exception {
        Path gpu = Files.writeString(folder.resolve("test-gpu.yaml"), GPU);
        Path byFile = Files.writeString(folder.resolve("by-file.yaml"), RUN.formatted(gpu));
        Path byMapping = Files.writeString(folder.resolve("by-mapping.yaml"), RUN.formatted(inline(GPU)));

        Result fromFile = run("run", byFile.toString(), "--out", folder.resolve("file").toString(), "--quiet");
        Result fromMapping = run("run", byMapping.toString(), "--out", folder.resolve("mapping").toString(), "--quiet");

        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(fromMapping.exitCode()).as(fromMapping.err()).isZero();
        assertThat(Files.readString(folder.resolve("file/config.resolved.yaml"))).contains(RESOLVED_FIGURES);
        assertThat(Files.readAllBytes(folder.resolve("file/requests.csv")))
                .isEqualTo(Files.readAllBytes(folder.resolve("mapping/requests.csv")));
    }

    @Test
    void aWrongFigureIsOneLineWithTheFileLineColumnAndKeyPath(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("bad.yaml"),
                RUN.formatted(inline(GPU.replace("bf16: 362", "bf16: -362"))));

        Result result = run("validate", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("servesim: " + config
                + ":11:20: framework.hardware.dense_tflops.bf16: must be a positive number, got -362.0");
    }

    @Test
    void anUnknownKeyOrAMissingFigureOfAMappingNamesItsPath(@TempDir Path folder) throws Exception {
        Path unknown = Files.writeString(folder.resolve("unknown.yaml"),
                RUN.formatted(inline(GPU.replace("l2_cache_mib: 96", "l2_cache_mb: 96"))));
        Path missing = Files.writeString(folder.resolve("missing.yaml"),
                RUN.formatted(inline(GPU.replace("memory_gib: 44.5\n", ""))));

        Result unknownKey = run("validate", unknown.toString());
        Result missingFigure = run("validate", missing.toString());

        assertThat(unknownKey.exitCode()).isEqualTo(2);
        assertThat(unknownKey.err().strip()).startsWith("servesim: " + unknown
                + ":10:5: framework.hardware.l2_cache_mb: unknown key; known keys: aliases, dense_tflops,");
        assertThat(missingFigure.exitCode()).isEqualTo(2);
        assertThat(missingFigure.err().strip()).startsWith("servesim: " + missing
                + ":6:3: framework.hardware.memory_gib: is required (total device memory in GiB");
        assertThat(unknownKey.err() + missingFigure.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void aBrokenGpuFileIsOneLineNamingTheFile(@TempDir Path folder) throws Exception {
        Path gpu = Files.writeString(folder.resolve("gpu.yaml"), GPU + "colour: green\n");
        Path config = Files.writeString(folder.resolve("c.yaml"), RUN.formatted(gpu));

        Result result = run("validate", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).startsWith("servesim: " + config + ":6:3: framework.hardware: " + gpu
                + ": line 10: colour: unknown key; known keys: aliases,");
        assertThat(result.err().strip().lines()).hasSize(1);
    }

    @Test
    void theCustomGpuExampleRuns(@TempDir Path folder) throws Exception {
        Path example = Path.of("..", "examples", "custom-gpu.yaml");

        Result result = run("run", example.toString(), "--out", folder.resolve("out").toString(), "--set",
                "workload.duration=5", "--quiet");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readString(folder.resolve("out/config.resolved.yaml")))
                .contains("name: H100-PCIe-80GB", "bf16: 756.0", "fp8: 1513.0", "bandwidth_gb_per_second: 600.0");
    }

    @Test
    void theSchemaTakesAGpuNameOrFileOrAMapping() throws Exception {
        Result result = run("schema");

        assertThat(result.exitCode()).isZero();
        JsonNode schema = new ObjectMapper().readTree(result.out());
        JsonNode vllm = schema.at("/properties/framework/allOf/0/then/properties");
        assertThat(vllm.at("/hardware/anyOf/0/type").asText()).isEqualTo("string");
        String reference = vllm.at("/hardware/anyOf/1/$ref").asText();
        assertThat(reference).isEqualTo("#/$defs/HardwareSpec");
        JsonNode gpu = schema.at("/$defs/HardwareSpec/properties");
        assertThat(gpu.at("/memory_gib/type").asText()).isEqualTo("number");
        assertThat(gpu.at("/dense_tflops/$ref").asText()).isEqualTo("#/$defs/DenseTflops");
        assertThat(schema.at("/$defs/DenseTflops/properties/bf16/type").asText()).isEqualTo("number");
        assertThat(schema.at("/$defs/Interconnect/properties/links/type").asText()).isEqualTo("integer");
    }
}
