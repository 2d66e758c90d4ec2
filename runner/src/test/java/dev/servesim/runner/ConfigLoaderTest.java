package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.TestingRunPlugin.ScriptedConfig;
import dev.servesim.runner.TestingRunPlugin.SerialConfig;
import dev.servesim.runner.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String VALID = """
            name: demo
            seed: 7
            framework:
              name: serial
              ttft: 0.5
            workload:
              source: scripted
              arrivals: [0.0, 1.0]
            """;

    /**
     * Issue 14, finding 8: messages leaked Jackson's feature names, called a YAML NaN "not valid YAML", doubled
     * {@code slo.slo.ttft}, and hid a section's unknown keys behind its missing name.
     */
    @Test
    void messagesNameTheKeyAndNoInternals(@TempDir Path folder) throws Exception {
        Path json = Files.writeString(folder.resolve("nan.json"),
                "{\"framework\": {\"name\": \"serial\", \"ttft\": NaN}, \"workload\": {\"source\": \"random\"}}");
        ConfigLoader loader = new ConfigLoader(TestingConfigs.registry());
        assertThatThrownBy(() -> loader.load(json, List.of()))
                .hasMessage(json + ":1:45: framework.ttft: expected a finite number, got 'NaN'");
        Path yaml = Files.writeString(folder.resolve("nan.yaml"), """
                framework: {name: serial}
                workload: {source: scripted, arrivals: [0, .inf]}
                """);
        assertThatThrownBy(() -> loader.load(yaml, List.of()))
                .hasMessage(yaml + ":2:48: workload.arrivals[1]: expected a finite number, got '.inf'");
        assertThatThrownBy(() -> TestingConfigs.load("""
                slo: {ttft: -1}
                framework: {name: serial}
                workload: {source: random}
                """)).hasMessage("test.yaml:1:7: slo.ttft: must be a positive number, got -1.0");
        assertThatThrownBy(() -> TestingConfigs.load("""
                framework: {ttft: 0.1, itll: 0.01}
                workload: {source: random}
                """)).hasMessage("""
                2 configuration problems:
                  1. test.yaml:1:1: framework.name: is required (a framework name); available: serial
                  2. test.yaml:1:24: framework.itll: unknown key for every framework""".replace("\n",
                System.lineSeparator()));
    }

    @Test
    void bindsEverySectionAndFillsDefaults() {
        RunConfiguration configuration = TestingConfigs.load(VALID);

        assertThat(configuration.settings().name()).isEqualTo("demo");
        assertThat(configuration.settings().seed()).isEqualTo(7L);
        assertThat(configuration.settings().horizon()).isNull();
        assertThat(configuration.settings().snapshotInterval()).isEqualTo(1.0);
        assertThat(configuration.framework().name()).isEqualTo("serial");
        assertThat(configuration.framework().config()).isEqualTo(new SerialConfig(0.5, 0.01));
        assertThat(configuration.workload().config()).isEqualTo(new ScriptedConfig(List.of(0.0, 1.0), 10, 3, null, "config"));
        assertThat(configuration.cache().name()).isEqualTo("disabled");
        assertThat(configuration.sinks()).extracting(BoundComponent::name).containsExactly("json", "csv", "html");
    }

    @Test
    void unknownKeyIsReportedWithLineColumnAndTheKnownKeys() {
        String yaml = VALID.replace("  ttft: 0.5", "  ttft: 0.5\n  tfft: 0.2");
        assertThatThrownBy(() -> TestingConfigs.load(yaml))
                .isInstanceOf(ServesimException.class)
                .hasMessage("test.yaml:6:3: framework.tfft: unknown key; known keys: gpu, gpus, itl, ttft")
                .extracting(e -> ((ServesimException) e).kind()).isEqualTo(ErrorKind.CONFIG);
    }

    @Test
    void wrongTypeIsReportedWithItsValue() {
        assertThatThrownBy(() -> TestingConfigs.load(VALID.replace("ttft: 0.5", "ttft: fast")))
                .hasMessage("test.yaml:5:3: framework.ttft: expected a number, got 'fast'");
        assertThatThrownBy(() -> TestingConfigs.load(VALID.replace("seed: 7", "seed: 7.5")))
                .hasMessageStartingWith("test.yaml:2:1: seed: expected an integer");
    }

    @Test
    void aRunNameThatWouldLeaveTheOutputFolderIsRefused() {
        for (String name : List.of("../../escape", "a/b", "a\\\\b", "..", ".", "x".repeat(121))) {
            assertThatThrownBy(() -> TestingConfigs.load(VALID.replace("name: demo", "name: '" + name + "'")))
                    .as(name).isInstanceOf(ServesimException.class)
                    .hasMessageStartingWith("test.yaml:1:1: name: must be a plain name")
                    .hasMessageContaining("got '");
        }
        assertThatThrownBy(() -> TestingConfigs.load(VALID.replace("name: demo", "name: \"a\\u0007b\"")))
                .hasMessageEndingWith("got 'a\\u0007b'");
        assertThat(TestingConfigs.load(VALID.replace("name: demo", "name: 'my run v2.1 (h100)'")).settings().name())
                .isEqualTo("my run v2.1 (h100)");
    }

    @Test
    void valueRejectedByTheRecordNamesTheKeyAndPointsAtIt() {
        String yaml = VALID.replace("arrivals: [0.0, 1.0]", "arrivals: [0.0, 1.0]\n  output_tokens: 0");
        assertThatThrownBy(() -> TestingConfigs.load(yaml))
                .hasMessage("test.yaml:9:3: workload.output_tokens: must be positive, got 0");
    }

    @Test
    void missingRequiredKeyPointsAtItsSection() {
        assertThatThrownBy(() -> TestingConfigs.load(VALID.replace("  arrivals: [0.0, 1.0]\n", "")))
                .hasMessage("test.yaml:6:1: workload.arrivals: is required");
    }

    @Test
    void nestedKeysHaveFullPaths() {
        String yaml = """
                framework: {name: serial}
                workload:
                  source: random
                  nested:
                    scale: -1
                """;
        assertThatThrownBy(() -> TestingConfigs.load(yaml))
                .hasMessage("test.yaml:5:5: workload.nested.scale: must be a positive number, got -1.0");
    }

    @Test
    void unknownPluginNameListsTheAvailableOnes() {
        assertThatThrownBy(() -> TestingConfigs.load(VALID.replace("name: serial", "name: vlm")))
                .hasMessage("test.yaml:4:3: framework.name: unknown framework 'vlm'; available: serial");
        assertThatThrownBy(() -> TestingConfigs.load(VALID + "cache:\n  strategy: radixx\n"))
                .hasMessage("test.yaml:10:3: cache.strategy: unknown cache strategy 'radixx'; available: disabled");
    }

    @Test
    void allProblemsAreReportedTogetherAndNumbered() {
        String yaml = """
                sed: 3
                framework:
                  name: serial
                  ttft: soon
                sinks: [json, xml]
                """;
        assertThatThrownBy(() -> TestingConfigs.load(yaml)).hasMessage("""
                4 configuration problems:
                  1. test.yaml:1:1: sed: unknown key; known keys: name, seed, horizon, snapshot_interval, output, \
                warmup, slo, pace, max_in_flight, cost, framework, cache, workload, sinks, cluster
                  2. test.yaml:4:3: framework.ttft: expected a number, got 'soon'
                  3. test.yaml:1:1: workload: is required; available workload sources: none, random, scripted
                  4. test.yaml:5:15: sinks[1].name: unknown metric sink 'xml'; available: csv, html, json, timeline"""
                .replace("\n", System.lineSeparator()));
    }

    @Test
    void everyUnknownKeyOfASectionIsReportedEvenWhenAnotherValueIsBad() {
        String yaml = VALID.replace("  ttft: 0.5", "  ttft: -5\n  tfft: 0.2\n  speed: 3");
        assertThatThrownBy(() -> TestingConfigs.load(yaml)).hasMessage("""
                2 configuration problems:
                  1. test.yaml:6:3: framework.tfft: unknown key; known keys: gpu, gpus, itl, ttft
                  2. test.yaml:7:3: framework.speed: unknown key; known keys: gpu, gpus, itl, ttft"""
                .replace("\n", System.lineSeparator()));
    }

    @Test
    void overridesChangeAnyKeyAndAreNamedInErrors() {
        RunConfiguration configuration = TestingConfigs.load(VALID, "framework.itl=0.25", "seed=99",
                "sinks=[json]", "horizon=30");
        assertThat(configuration.framework().config()).isEqualTo(new SerialConfig(0.5, 0.25));
        assertThat(configuration.settings().seed()).isEqualTo(99L);
        assertThat(configuration.settings().horizon()).isEqualTo(30.0);
        assertThat(configuration.sinks()).extracting(BoundComponent::name).containsExactly("json");

        assertThatThrownBy(() -> TestingConfigs.load(VALID, "framework.itl=-1x"))
                .hasMessage("--set framework.itl=-1x: framework.itl: expected a number, got '-1x'");
        assertThatThrownBy(() -> TestingConfigs.load(VALID, "framework"))
                .hasMessageStartingWith("--set framework: expected key=value");
        assertThatThrownBy(() -> TestingConfigs.load(VALID, "framework.ttft.x=1"))
                .hasMessage("--set framework.ttft.x=1: 'ttft' holds a value, not a mapping or list");
    }

    @Test
    void overrideCanCreateAMissingSection() {
        RunConfiguration configuration = TestingConfigs.load(VALID.replace("cache:\n", ""),
                "cache.strategy=disabled");
        assertThat(configuration.cache().name()).isEqualTo("disabled");
    }

    @Test
    void resolvedConfigurationReadsBackToTheSameConfiguration() {
        RunConfiguration configuration = TestingConfigs.load(VALID, "sinks=[{name: csv, file: rows.csv}]");
        String resolved = configuration.resolvedYaml();

        assertThat(resolved).contains("snapshot_interval: 1.0", "itl: 0.01", "file: rows.csv", "strategy: disabled");
        RunConfiguration again = new ConfigLoader(TestingConfigs.registry())
                .bind(ConfigSource.parse(resolved, "resolved.yaml", false), "x");
        assertThat(again.resolvedYaml()).isEqualTo(resolved);
        assertThat(again.framework().config()).isEqualTo(configuration.framework().config());
    }

    @Test
    void jsonFilesAndFileErrors(@TempDir Path folder) throws Exception {
        Path json = folder.resolve("run.json");
        Files.writeString(json, """
                {"framework": {"name": "serial"},
                 "workload": {"source": "scripted", "arrivals": [1], "bogus": 1}}
                """);
        ConfigLoader loader = new ConfigLoader(TestingConfigs.registry());
        assertThatThrownBy(() -> loader.load(json, List.of()))
                .hasMessage(json + ":2:54: workload.bogus: unknown key; known keys: arrivals, fail_at, "
                        + "failure, output_tokens, prompt_tokens");

        Path broken = folder.resolve("broken.yaml");
        Files.writeString(broken, "framework:\n  name: [serial\n");
        assertThatThrownBy(() -> loader.load(broken, List.of()))
                .hasMessageStartingWith(broken + ":2:16: not valid YAML: while parsing a flow sequence");

        assertThatThrownBy(() -> loader.load(folder.resolve("missing.yaml"), List.of()))
                .hasMessage(folder.resolve("missing.yaml") + ": no such file");
        Path text = Files.writeString(folder.resolve("run.txt"), "x: 1");
        assertThatThrownBy(() -> loader.load(text, List.of())).hasMessageContaining("unknown configuration format");

        Path duplicate = Files.writeString(folder.resolve("dup.yaml"), "seed: 1\nseed: 2\n");
        assertThatThrownBy(() -> loader.load(duplicate, List.of())).hasMessageContaining("Duplicate field 'seed'");
    }

    @Test
    void runNameDefaultsToTheFileName(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("my-run.yaml"), VALID.replace("name: demo\n", ""));
        assertThat(new ConfigLoader(TestingConfigs.registry()).load(file, List.of()).settings().name())
                .isEqualTo("my-run");
    }
}
