package dev.servesim.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.Shard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanShardsTest {

    private final ConfigLoader loader = new ConfigLoader(PluginRegistry.discover(List.of()));

    private Path plan(Path config, Path out, Double target, List<String> searches, Shard shard) {
        PlanRequest request = new PlanRequest(config, List.of(), null, PlannerTest.SLO, target,
                SearchSpace.parse(searches), PlanRequest.DEFAULT_RATE_KEY, 2, null, null, 2, out, shard);
        Planner planner = new Planner(loader, request, PlanListener.NONE);
        PlanWriter.write(planner.run(), planner);
        return out;
    }

    @Test
    void threeShardsMergedAreTheUnshardedPlan(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), PlannerTest.CONFIG);
        List<String> searches = List.of("framework.hardware=H100-SXM-80GB,L4",
                "framework.max_num_batched_tokens=512,2048", "cluster.replicas=1..8");
        Path whole = plan(config, folder.resolve("whole"), 40.0, searches, Shard.ALL);
        List<Path> shards = new ArrayList<>();
        for (int index = 1; index <= 3; index++) {
            shards.add(plan(config, folder.resolve("shard-" + index), 40.0, searches, new Shard(index, 3)));
        }

        int candidates = PlanShards.merge(List.of(shards.get(2), shards.get(0), shards.get(1)), folder.resolve("merged"));

        assertThat(candidates).isEqualTo(4);
        for (String file : List.of("plan.json", "plan.csv", "plan.html")) {
            assertThat(Files.readString(folder.resolve("merged").resolve(file)))
                    .as(file).isEqualTo(Files.readString(whole.resolve(file)));
        }
        assertThat(folder.resolve("merged/chosen/config.yaml")).hasSameTextualContentAs(
                whole.resolve("chosen/config.yaml"));
    }

    @Test
    void refusesFoldersThatAreNotTheShardsOfOnePlan(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), PlannerTest.CONFIG);
        List<String> searches = List.of("framework.max_num_batched_tokens=512,2048", "cluster.replicas=1..4");
        Path first = plan(config, folder.resolve("a"), 30.0, searches, new Shard(1, 2));
        Path other = plan(config, folder.resolve("b"), 20.0, searches, new Shard(2, 2));
        Path again = plan(config, folder.resolve("c"), 30.0, searches, new Shard(1, 2));

        assertThatThrownBy(() -> PlanShards.merge(List.of(first, other), folder.resolve("m1")))
                .hasMessageContaining("'target' differs");
        assertThatThrownBy(() -> PlanShards.merge(List.of(first, again), folder.resolve("m2")))
                .hasMessageContaining("does not complete the others");
        assertThatThrownBy(() -> PlanShards.merge(List.of(first), folder.resolve("m3")))
                .hasMessageContaining("1 folders given for a plan of 2 shards");
        assertThat(folder.resolve("m1")).doesNotExist();
    }

    @Test
    void readsTheFirstCellOfACsvLine() {
        assertThat(PlanShards.firstCell("\"a=1, b=2\",meets,3")).isEqualTo("a=1, b=2");
        assertThat(PlanShards.firstCell("\"say \"\"x\"\"\",y")).isEqualTo("say \"x\"");
        assertThat(PlanShards.firstCell("plain,y")).isEqualTo("plain");
    }
}
