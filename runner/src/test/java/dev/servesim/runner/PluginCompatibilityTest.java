package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin compiled against an earlier API keeps loading and running: src/test/compat-plugin holds a jar built once
 * against API 0.3 as of commit bc2712b (see its README), with one engine, cache strategy, workload source, sink and
 * router. It is loaded through the plugins folder, as users drop jars, and runs a small cluster.
 */
class PluginCompatibilityTest {

    private static final Path COMPAT_JAR = Path.of("src/test/compat-plugin/compat-plugin-api-0.3.jar");

    private static final String RUN = """
            name: compat
            seed: 7
            framework: {name: compat-engine, ttft: 0.1, itl: 0.01, kv_blocks: 64, block_size_tokens: 16}
            cache: {strategy: compat-lru}
            workload: {source: compat-turns, sessions: 4, interval: 0.5, output_tokens: 8}
            cluster: {replicas: 2, router: {name: compat-cached-first}}
            sinks: [json, {name: compat-tally}]
            """;

    @Test
    void aJarBuiltAgainstApi03LoadsFromThePluginsFolderAndRunsASimulation(@TempDir Path folder) throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(COMPAT_JAR, plugins.resolve("compat.jar"));

        PluginRegistry registry = PluginRegistry.discover(List.of(plugins));

        assertThat(registry.problems()).isEmpty();
        PluginInfo compat = registry.plugins().stream().filter(plugin -> plugin.name().equals("compat")).findFirst()
                .orElseThrow();
        assertThat(compat.external()).isTrue();
        assertThat(compat.location()).isEqualTo("compat.jar");
        assertThat(compat.module()).isEqualTo("org.example.compat");
        assertThat(registry.find(ExtensionKind.FRAMEWORK, "compat-engine")).isPresent();
        assertThat(registry.find(ExtensionKind.CACHE, "compat-lru")).isPresent();
        assertThat(registry.find(ExtensionKind.WORKLOAD, "compat-turns")).isPresent();
        assertThat(registry.find(ExtensionKind.SINK, "compat-tally")).isPresent();
        assertThat(registry.find(ExtensionKind.ROUTER, "compat-cached-first")).isPresent();

        RunConfiguration configuration = new ConfigLoader(registry).bind(ConfigSource.parse(RUN, "compat.yaml", false),
                "compat");
        Path out = folder.resolve("out");
        RunResult result = SimulationRunner.run(configuration, out, new RunControl());
        RunSummary summary = result.summary();

        // 4 sessions of 2 turns; the first prompt misses, the others hit the shared 48-token system prompt (3 blocks)
        // and second turns their whole first turn; every request lands where its prefix is cached
        assertThat(summary.requests().arrived()).isEqualTo(8);
        assertThat(summary.requests().completed()).isEqualTo(8);
        assertThat(summary.prefixCache().strategy()).isEqualTo("compat-lru");
        assertThat(summary.prefixCache().events()).containsExactly(entry("HIT", 7L), entry("MISS", 1L));
        assertThat(summary.prefixCache().tokensSaved()).isEqualTo(448);
        assertThat(summary.engine()).containsExactly(entry("compat_finished", 8L), entry("compat_prefill_chunks", 8L),
                entry("compat_queued", 8L), entry("compat_scheduled", 8L), entry("compat_token_events", 64L));
        assertThat(summary.workload()).containsExactly(entry("compat_second_turns", 4L));
        assertThat(summary.cluster().router()).isEqualTo("compat-cached-first");
        assertThat(summary.cluster().decisions()).containsExactly(8L, 0L);
        assertThat(summary.latencyMs().ttft().max()).isCloseTo(100, within(1e-9));
        assertThat(result.files()).contains("summary.json", "compat-tally.txt");
        assertThat(Files.readString(out.resolve("compat-tally.txt"))).isEqualTo("""
                run compat
                COMPLETED HIT turn 1: 3
                COMPLETED HIT turn 2: 4
                COMPLETED MISS turn 1: 1
                steps: 8
                completed: 8
                ended at: 1.8400000000000003
                configuration names the engine: true
                """);
    }
}
