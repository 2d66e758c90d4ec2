package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.runner.config.ConfigMappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    private static final String RANDOM = """
            name: cmp
            framework: {name: serial}
            workload: {source: random, count: 40}
            """;

    @Test
    void runsTheCrossProductAndParallelEqualsSequential(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("cmp.yaml"), RANDOM);
        ConfigLoader loader = new ConfigLoader(TestingConfigs.registry());
        List<Variation> vary = List.of(Variation.parse("framework.ttft=0.05,0.2"),
                Variation.parse("framework.itl=0.01,0.02"));

        List<Comparison.Variant> parallel = Comparison.run(loader, config, List.of(), null, vary,
                folder.resolve("parallel"), 4);
        List<Comparison.Variant> sequential = Comparison.run(loader, config, List.of(), null, vary,
                folder.resolve("sequential"), 1);

        assertThat(parallel).extracting(Comparison.Variant::name).containsExactly(
                "framework.ttft=0.05, framework.itl=0.01", "framework.ttft=0.05, framework.itl=0.02",
                "framework.ttft=0.2, framework.itl=0.01", "framework.ttft=0.2, framework.itl=0.02");
        for (int i = 0; i < parallel.size(); i++) {
            String folderName = parallel.get(i).folder();
            assertThat(Files.readAllBytes(folder.resolve("parallel").resolve(folderName).resolve("requests.csv")))
                    .isEqualTo(Files.readAllBytes(folder.resolve("sequential").resolve(folderName)
                            .resolve("requests.csv")));
        }
        assertThat(Files.readString(folder.resolve("parallel/compare.csv")))
                .isEqualTo(Files.readString(folder.resolve("sequential/compare.csv")));
        // each variant runs under a name of its own (its live metrics' run label)
        assertThat(parallel).extracting(variant -> variant.result().summary().runName()).containsExactly(
                "cmp_framework.ttft-0.05_framework.itl-0.01", "cmp_framework.ttft-0.05_framework.itl-0.02",
                "cmp_framework.ttft-0.2_framework.itl-0.01", "cmp_framework.ttft-0.2_framework.itl-0.02");

        // the same arrivals (same seed and workload) in every variant; a faster first token lowers TTFT
        JsonNode json = ConfigMappers.json().readTree(folder.resolve("parallel/compare.json").toFile());
        assertThat(json.at("/variants/0/summary/requests/arrived").asLong())
                .isEqualTo(json.at("/variants/3/summary/requests/arrived").asLong());
        assertThat(json.at("/best/ttft_p50_ms").toString()).contains("framework.ttft=0.05");
        assertThat(json.at("/variants/1/settings/framework.itl").asText()).isEqualTo("0.02");
        assertThat(Files.readAllLines(folder.resolve("parallel/compare.csv")).get(0))
                .startsWith("variant,framework.ttft,framework.itl,ttft_p50_ms,");

        // compare.html gets the varied keys (one chart each), each variant's settings, and request counts for legends
        String html = Files.readString(folder.resolve("parallel/compare.html"));
        assertThat(html).contains("\"parameters\":[{\"key\":\"framework.ttft\",\"values\":[\"0.05\",\"0.2\"]},"
                        + "{\"key\":\"framework.itl\",\"values\":[\"0.01\",\"0.02\"]}]",
                "\"settings\":{\"framework.ttft\":\"0.2\",\"framework.itl\":\"0.02\"}",
                "\"cohort\":\"all\",\"count\":40,");
    }

    @Test
    void aBadVariantFailsBeforeAnythingRuns(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("cmp.yaml"), RANDOM);
        ConfigLoader loader = new ConfigLoader(TestingConfigs.registry());

        assertThatThrownBy(() -> Comparison.run(loader, config, List.of(), null,
                List.of(Variation.parse("framework.ttft=0.1,fast")), folder.resolve("out"), 2))
                .hasMessageContaining("framework.ttft: expected a number, got 'fast'");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    /**
     * A key that belongs to one strategy only is varied for that strategy alone: {@code cache.capacity_blocks}
     * applies to {@code capped}, not to {@code disabled}, so three variants run instead of a failing fourth.
     */
    @Test
    void variedKeysApplyOnlyToTheComponentsThatHaveThem(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("cmp.yaml"), RANDOM);
        List<dev.servesim.api.ServesimPlugin> plugins = new java.util.ArrayList<>(TestingConfigs.registryPlugins());
        plugins.add(new CappedCachePlugin());
        ConfigLoader loader = new ConfigLoader(PluginRegistry.of(plugins));

        List<Comparison.Variant> variants = Comparison.run(loader, config, List.of(), null,
                List.of(Variation.parse("cache.strategy=capped,disabled"),
                        Variation.parse("cache.capacity_blocks=8,64")), folder.resolve("out"), 2);

        assertThat(variants).extracting(Comparison.Variant::name).containsExactly(
                "cache.strategy=capped, cache.capacity_blocks=8", "cache.strategy=capped, cache.capacity_blocks=64",
                "cache.strategy=disabled");
        assertThat(Files.readAllLines(folder.resolve("out/compare.csv")).get(3))
                .startsWith("cache.strategy=disabled,disabled,,");
    }

    @Test
    void aFailingVariantIsNamed(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("cmp.yaml"), RANDOM);
        ConfigLoader loader = new ConfigLoader(TestingConfigs.registry());

        assertThatThrownBy(() -> Comparison.run(loader, config, List.of(), null,
                List.of(Variation.parse("framework.ttft=0.1,-1")), folder.resolve("out"), 2))
                .hasMessageStartingWith("variant framework.ttft=-1: ");
    }

    /** A cache strategy with a key of its own, {@code capacity_blocks}; it caches nothing. */
    private static final class CappedCachePlugin implements dev.servesim.api.ServesimPlugin {

        /** @param capacityBlocks a key only this strategy has */
        public record CappedConfig(Integer capacityBlocks) {}

        @Override
        public String name() {
            return "capped-cache";
        }

        @Override
        public List<dev.servesim.api.cache.KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
            return List.of(new dev.servesim.api.cache.KvCacheStrategyFactory<CappedConfig>() {
                @Override
                public String name() {
                    return "capped";
                }

                @Override
                public String description() {
                    return "caches nothing, has a capacity key";
                }

                @Override
                public Class<CappedConfig> configType() {
                    return CappedConfig.class;
                }

                @Override
                public dev.servesim.api.cache.KvCacheStrategy create(CappedConfig settings,
                        dev.servesim.api.cache.CacheContext context) {
                    return new TestingKvCacheStrategy(context.blocks());
                }
            });
        }
    }

    @Test
    void variationParsing() {
        assertThat(Variation.parse("sinks=[json],[json, csv]").values()).containsExactly("[json]", "[json, csv]");
        assertThat(Variation.parse(" cache.strategy = a,b ").key()).isEqualTo("cache.strategy");
        assertThatThrownBy(() -> Variation.parse("cache.strategy")).hasMessageContaining("expected key=value1");
        assertThatThrownBy(() -> Variation.parse("k=a,,b")).hasMessageContaining("empty value");
        assertThatThrownBy(() -> Variation.parse("k=a,a")).hasMessageContaining("listed twice");
        assertThat(Variation.crossProduct(List.of(Variation.parse("a=1,2"), Variation.parse("b=x"))))
                .containsExactly(List.of("a=1", "b=x"), List.of("a=2", "b=x"));
    }
}
