package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare --shard I/N and servesim merge: the merged shards are the unsharded comparison. */
class ComparisonShardsTest {

    private static final String RANDOM = """
            name: cmp
            framework: {name: serial}
            workload: {source: random, count: 30}
            sinks: [json, csv]
            """;
    private static final List<Variation> VARY = List.of(Variation.parse("framework.ttft=0.05,0.1,0.2"),
            Variation.parse("framework.itl=0.01,0.02"));

    @Test
    void threeShardsMergedGiveTheFilesOfTheUnshardedComparison(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("cmp.yaml"), RANDOM);
        ConfigLoader loader = new ConfigLoader(TestingConfigs.registry());
        Comparison.run(loader, config, List.of(), null, VARY, folder.resolve("whole"), 2);
        List<Path> shards = new ArrayList<>();
        int ran = 0;
        for (int index = 3; index >= 1; index--) {
            Path out = folder.resolve("shard-" + index);
            ran += Comparison.run(loader, config, List.of(), null, VARY, out, 1, new Shard(index, 3)).size();
            assertThat(out.resolve(ComparisonShards.MANIFEST)).exists();
            assertThat(out.resolve("compare.json")).doesNotExist();
            shards.add(out);
        }
        assertThat(ran).isEqualTo(6);

        List<Comparison.Variant> merged = ComparisonShards.merge(shards, folder.resolve("merged"));

        assertThat(merged).extracting(Comparison.Variant::name).startsWith("framework.ttft=0.05, framework.itl=0.01")
                .hasSize(6);
        assertThat(Files.readString(folder.resolve("merged/compare.csv")))
                .isEqualTo(Files.readString(folder.resolve("whole/compare.csv")));
        for (String file : List.of("compare.json", "compare.html")) {
            assertThat(withoutWallClock(folder.resolve("merged").resolve(file)))
                    .as(file).isEqualTo(withoutWallClock(folder.resolve("whole").resolve(file)));
        }
        for (Comparison.Variant variant : merged) {
            assertThat(Files.readAllBytes(folder.resolve("merged").resolve(variant.folder()).resolve("requests.csv")))
                    .isEqualTo(Files.readAllBytes(folder.resolve("whole").resolve(variant.folder())
                            .resolve("requests.csv")));
        }
    }

    @Test
    void shardsAreDisjointBalancedAndStableWhateverTheOrderOfTheValues() {
        List<List<String>> forward = Variation.crossProduct(List.of(Variation.parse("a=1,2,3,4,5"),
                Variation.parse("b=x,y,z")));
        List<List<String>> reversed = Variation.crossProduct(List.of(Variation.parse("b=z,y,x"),
                Variation.parse("a=5,4,3,2,1")));
        Set<Set<String>> seen = new HashSet<>();
        for (int index = 1; index <= 4; index++) {
            Shard shard = new Shard(index, 4);
            List<List<String>> part = shard.select(forward);
            assertThat(part.size()).as("15 variants in 4 shards").isBetween(3, 4);
            Set<Set<String>> mine = new HashSet<>();
            part.forEach(combination -> mine.add(Set.copyOf(combination)));
            Set<Set<String>> mineReversed = new HashSet<>();
            shard.select(reversed).forEach(combination -> mineReversed.add(Set.copyOf(combination)));
            assertThat(mineReversed).as("shard %s whatever the order of the options and values", shard)
                    .isEqualTo(mine);
            for (Set<String> variant : mine) {
                assertThat(seen.add(variant)).as("%s in one shard only", variant).isTrue();
            }
        }
        assertThat(seen).hasSize(15);
        assertThat(Shard.ALL.select(forward)).isEqualTo(forward);
    }

    @Test
    void mergeRefusesAnIncompleteOrMixedSetOfShards(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("cmp.yaml"), RANDOM);
        ConfigLoader loader = new ConfigLoader(TestingConfigs.registry());
        Path one = folder.resolve("one");
        Path two = folder.resolve("two");
        Comparison.run(loader, config, List.of(), null, VARY, one, 1, new Shard(1, 2));
        Comparison.run(loader, config, List.of(), null, VARY, two, 1, new Shard(2, 2));
        Path other = folder.resolve("other");
        Comparison.run(loader, config, List.of(), null, List.of(Variation.parse("framework.ttft=0.3,0.4")), other, 1,
                new Shard(2, 2));
        Path out = folder.resolve("out");

        assertThatThrownBy(() -> ComparisonShards.merge(List.of(one), out)).isInstanceOf(ServesimException.class)
                .hasMessage("merge: shard(s) [2] of 2 missing; every shard's folder is needed");
        assertThatThrownBy(() -> ComparisonShards.merge(List.of(one, one), out))
                .hasMessage("merge: " + one + " and " + one + " are both shard 1/2");
        assertThatThrownBy(() -> ComparisonShards.merge(List.of(one, other), out))
                .hasMessage("merge: " + other + " is a shard of another comparison than " + one + " (its vary differs)");
        assertThatThrownBy(() -> ComparisonShards.merge(List.of(one, folder), out))
                .hasMessageStartingWith("merge: " + folder + " has no shard.json");
        assertThatThrownBy(() -> new Shard(3, 2)).hasMessage("--shard: expected I/N with 1 <= I <= N, got 3/2");
        assertThatThrownBy(() -> Shard.parse("half")).hasMessage("--shard: expected I/N, e.g. 2/8, got 'half'");
        assertThat(out).doesNotExist();
        assertThat(ComparisonShards.merge(List.of(two, one), out)).hasSize(6);
    }

    /** The file without the figures that depend on the wall clock (wall_seconds, simulated_over_wall). */
    private static String withoutWallClock(Path file) throws IOException {
        return Files.readString(file)
                .replaceAll("\"(wall_seconds|simulated_over_wall)\\\\?\"\\s*:\\s*[-0-9.eE+]+", "\"$1\":_");
    }
}
