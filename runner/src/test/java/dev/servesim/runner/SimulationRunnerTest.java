package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.runner.config.ConfigMappers;
import dev.servesim.runner.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationRunnerTest {

    // serial engine: first token 0.1 s after a request starts, then one token every 0.01 s, 3 tokens each
    private static final String THREE_REQUESTS = """
            name: three
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            workload: {source: scripted, arrivals: [0.0, 0.05, 1.0], output_tokens: 3}
            """;

    @Test
    void threeRequestsWithKnownTimingsGiveKnownStatistics(@TempDir Path out) throws Exception {
        RunResult result = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS), out, new RunControl());
        RunSummary summary = result.summary();

        // r0: starts 0, tokens 0.10 0.11 0.12; r1: arrives 0.05, starts 0.12, tokens 0.22 0.23 0.24;
        // r2: arrives 1.0, tokens 1.10 1.11 1.12
        assertThat(summary.requests().arrived()).isEqualTo(3);
        assertThat(summary.requests().completed()).isEqualTo(3);
        assertThat(summary.simulatedSeconds()).isCloseTo(1.12, within(1e-12));
        // TTFT 100, 170, 100 ms: numpy percentiles over [100, 100, 170]
        assertThat(summary.latencyMs().ttft().mean()).isCloseTo(123.333333, within(1e-5));
        assertThat(summary.latencyMs().ttft().p50()).isCloseTo(100, within(1e-9));
        assertThat(summary.latencyMs().ttft().p90()).isCloseTo(156, within(1e-9));
        assertThat(summary.latencyMs().ttft().p99()).isCloseTo(168.6, within(1e-9));
        assertThat(summary.latencyMs().ttft().max()).isCloseTo(170, within(1e-9));
        // E2E 120, 190, 120 ms
        assertThat(summary.latencyMs().e2e().p90()).isCloseTo(176, within(1e-9));
        assertThat(summary.latencyMs().e2e().max()).isCloseTo(190, within(1e-9));
        // every gap is 10 ms; queue 0, 70, 0 ms
        assertThat(summary.latencyMs().tpot().mean()).isCloseTo(10, within(1e-9));
        assertThat(summary.latencyMs().itl().count()).isEqualTo(6);
        assertThat(summary.latencyMs().queue().max()).isCloseTo(70, within(1e-9));
        assertThat(summary.throughput().requestsPerS()).isCloseTo(3 / 1.12, within(1e-9));
        assertThat(summary.throughput().outputTokensPerS()).isCloseTo(9 / 1.12, within(1e-9));
        assertThat(summary.engine()).as("a simulated run's clients are simulated").doesNotContainKey("real_clients");

        assertThat(result.files()).containsExactly("config.resolved.yaml", "report.html", "requests.csv", "summary.json");
        JsonNode json = ConfigMappers.json().readTree(out.resolve("summary.json").toFile());
        assertThat(json.at("/requests/completed").asLong()).isEqualTo(3);
        assertThat(json.at("/latency_ms/ttft/p90").asDouble()).isCloseTo(156, within(1e-9));
        assertThat(json.at("/throughput/requests_per_s").isNumber()).isTrue();
        assertThat(json.at("/simulated_seconds").asDouble()).isCloseTo(1.12, within(1e-12));
        assertThat(json.has("wall_seconds")).isTrue();
        assertThat(json.at("/seed").asLong()).isEqualTo(1);
    }

    @Test
    void requestsCsvHasOneRowPerRequestAgreeingWithTheSummary(@TempDir Path out) throws Exception {
        SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS), out, new RunControl());

        List<String> lines = Files.readAllLines(out.resolve("requests.csv"));
        assertThat(lines.get(0)).startsWith("request_id,session_id,turn,replica,profile,arrival_s,");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).isEqualTo(
                "1,1,1,0,,0.050000,0.050000,0.120000,0.220000,0.240000,70.000,100.000,170.000,10.000,10.000,190.000,10,0,10,3,0,"
                        + "NONE,completed,,length");
        assertThat(lines.get(0)).endsWith(",status,reason,finish_reason");
        assertThat(lines.subList(1, 4)).allSatisfy(line -> assertThat(line).endsWith(",completed,,length"));
    }

    @Test
    void sameSeedGivesByteIdenticalOutputsAndAnotherSeedDoesNot(@TempDir Path out) throws Exception {
        String random = """
                name: random
                framework: {name: serial}
                workload: {source: random, count: 50}
                """;
        SimulationRunner.run(TestingConfigs.load(random), out.resolve("a"), new RunControl());
        SimulationRunner.run(TestingConfigs.load(random), out.resolve("b"), new RunControl());
        SimulationRunner.run(TestingConfigs.load(random, "seed=2"), out.resolve("c"), new RunControl());

        assertThat(withoutWallClock(out.resolve("a/summary.json")))
                .isEqualTo(withoutWallClock(out.resolve("b/summary.json")));
        assertThat(Files.readAllBytes(out.resolve("a/requests.csv")))
                .isEqualTo(Files.readAllBytes(out.resolve("b/requests.csv")));
        assertThat(Files.readAllBytes(out.resolve("a/config.resolved.yaml")))
                .isEqualTo(Files.readAllBytes(out.resolve("b/config.resolved.yaml")));
        assertThat(Files.readAllBytes(out.resolve("c/requests.csv")))
                .isNotEqualTo(Files.readAllBytes(out.resolve("a/requests.csv")));
    }

    private static String withoutWallClock(Path summary) throws Exception {
        String text = Files.readString(summary);
        assertThat(text).contains("\"wall_seconds\"");
        return text.replaceAll("\"(wall_seconds|simulated_over_wall)\" : [0-9.Ee-]+", "\"$1\" : 0");
    }

    @Test
    void horizonLeavesRequestsUnfinishedAndAccountsForAll(@TempDir Path out) throws Exception {
        RunSummary summary = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS, "horizon=0.2"), out,
                new RunControl()).summary();

        assertThat(summary.partial()).isFalse();
        assertThat(summary.simulatedSeconds()).isEqualTo(0.2);
        assertThat(summary.requests().completed()).isEqualTo(1);
        assertThat(summary.requests().unfinished()).isEqualTo(1); // r2 arrives at 1.0, after the horizon
        assertThat(summary.requests().arrived()).isEqualTo(2);
        assertThat(Files.readAllLines(out.resolve("requests.csv")).get(2)).endsWith(",unfinished,,");
    }

    @Test
    void rejectionsAreCountedByTheCategoryOfTheirReason(@TempDir Path out) throws Exception {
        RunSummary summary = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS, "workload.prompt_tokens=5000"),
                out, new RunControl()).summary();
        assertThat(summary.requests().rejected()).isEqualTo(3);
        // three different reasons ("prompt too long: request N, ..."), one category
        assertThat(summary.requests().rejectedByReason()).containsExactly(Map.entry("prompt too long", 3L));
        assertThat(Files.readString(out.resolve("requests.csv"))).contains("prompt too long: request 0, 5000 tokens")
                .contains("prompt too long: request 2, 5000 tokens");
        assertThat(summary.latencyMs().ttft().count()).isZero();
    }

    @Test
    void stopRequestEndsTheRunAndStillWritesPartialResults(@TempDir Path out) throws Exception {
        RunControl control = new RunControl();
        List<ServesimPlugin> plugins = new ArrayList<>(TestingConfigs.registryPlugins());
        // a sink that asks the run to stop after the first finished request
        plugins.add(TestingConfigs.sinkPlugin("stopper", () -> new MetricSink() {
            @Override
            public void onRequestFinished(RequestRecord record) {
                control.requestStop("enough");
                // a later request does not change the reason
                control.requestStop();
            }
        }));
        ConfigSource source = ConfigSource.parse(THREE_REQUESTS + "sinks: [json, csv, stopper]\n", "stop.yaml", false);
        RunConfiguration configuration = new ConfigLoader(PluginRegistry.of(plugins)).bind(source, "stop");

        RunSummary summary = SimulationRunner.run(configuration, out, control).summary();

        assertThat(summary.partial()).isTrue();
        assertThat(summary.stopReason()).isEqualTo("enough");
        assertThat(summary.requests().completed()).isEqualTo(1);
        assertThat(summary.requests().unfinished()).isEqualTo(1);
        JsonNode json = ConfigMappers.json().readTree(out.resolve("summary.json").toFile());
        assertThat(json.at("/partial").asBoolean()).isTrue();
        assertThat(Files.readAllLines(out.resolve("requests.csv"))).hasSize(3);
        assertThat(out.resolve("config.resolved.yaml")).exists();
        try (var files = Files.list(out)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }


    @Test
    void resolvedConfigurationReproducesTheRun(@TempDir Path out) throws Exception {
        SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS, "framework.itl=0.02"), out.resolve("first"),
                new RunControl());
        RunConfiguration again = new ConfigLoader(TestingConfigs.registry())
                .load(out.resolve("first/config.resolved.yaml"), List.of());
        SimulationRunner.run(again, out.resolve("second"), new RunControl());

        assertThat(Files.readAllBytes(out.resolve("second/requests.csv")))
                .isEqualTo(Files.readAllBytes(out.resolve("first/requests.csv")));
        ObjectNode tree = again.resolvedTree();
        assertThat(tree.at("/framework/itl").asDouble()).isEqualTo(0.02);
    }

    @Test
    void warmupRequestsAreCountedButNotMeasured(@TempDir Path out) {
        RunSummary summary = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS, "warmup=0.5"), out,
                new RunControl()).summary();

        // r0 and r1 arrive before 0.5 s; only r2 (TTFT 100 ms, E2E 120 ms) is measured
        assertThat(summary.requests().arrived()).isEqualTo(3);
        assertThat(summary.requests().completed()).isEqualTo(3);
        assertThat(summary.requests().warmup()).isEqualTo(2);
        assertThat(summary.latencyMs().ttft().count()).isEqualTo(1);
        assertThat(summary.latencyMs().ttft().mean()).isCloseTo(100, within(1e-9));
        assertThat(summary.latencyMs().itl().count()).isEqualTo(2);
        assertThat(summary.throughput().requestsPerS()).isCloseTo(1 / (1.12 - 0.5), within(1e-9));
        assertThat(summary.breakdown().byTurn().get("turn 1").requests()).isEqualTo(1);
    }

    @Test
    void goodputCountsRequestsMeetingTheSlos(@TempDir Path out) {
        RunSummary summary = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS, "slo={ttft: 0.15, tpot: 0.05}"),
                out, new RunControl()).summary();

        // TTFT 100, 170, 100 ms against 150 ms; every TPOT is 10 ms
        assertThat(summary.goodput().requests()).isEqualTo(2);
        assertThat(summary.goodput().share()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(summary.goodput().requestsPerS()).isCloseTo(2 / 1.12, within(1e-9));
        assertThat(summary.goodput().sloTtftMs()).isEqualTo(150.0);
        assertThat(summary.breakdown().byProfile().get("default").goodputShare()).isCloseTo(2.0 / 3, within(1e-12));

        RunSummary none = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS), out.resolve("none"),
                new RunControl()).summary();
        assertThat(none.goodput().requests()).isEqualTo(3);
        assertThat(none.goodput().sloTtftMs()).isNaN();
        assertThat(none.goodput().share()).isNaN();
        assertThat(none.goodput().requestsPerS()).isNaN();
        assertThat(none.breakdown().byProfile().get("default").goodputShare()).isNaN();
    }

    private static final String TWO_REPLICAS_OF_TWO_GPUS = """
            name: resources
            framework: {name: serial, ttft: 0.1, itl: 0.01, gpus: 2, gpu: H100-SXM-80GB}
            workload: {source: scripted, arrivals: [0.0, 0.05, 1.0], prompt_tokens: 29, output_tokens: 3}
            cluster: {replicas: 2, router: {name: modulo}}
            """;

    @Test
    void resourcesCountGpusCapacityAndGpuHours(@TempDir Path out) throws Exception {
        RunSummary summary = SimulationRunner.run(TestingConfigs.load(TWO_REPLICAS_OF_TWO_GPUS), out,
                new RunControl()).summary();
        RunSummary.Resources resources = summary.resources();

        assertThat(summary.simulatedSeconds()).isCloseTo(1.12, within(1e-9));
        assertThat(resources.gpus()).isEqualTo(4);
        assertThat(resources.memoryPerGpu().gpu()).isEqualTo("H100-SXM-80GB");
        assertThat(resources.memoryPerGpu().weightsGib()).isEqualTo(15.0);
        assertThat(resources.kvTokensByReplica()).containsExactly(16_000L, 16_000L);
        assertThat(resources.kvTokens()).isEqualTo(32_000L).isEqualTo(summary.kvCache().tokens());
        // 29 + 3 = 32 tokens are 2 blocks of 16: 1,000 / 2 sequences per replica
        assertThat(resources.meanSequenceTokens()).isEqualTo(32.0);
        assertThat(resources.maxConcurrentSequences()).isEqualTo(1_000);
        // 9 output tokens over 1.12 s, on 4 GPUs
        assertThat(resources.outputTokensPerGpuPerS()).isCloseTo(9 / 1.12 / 4, within(1e-9));
        assertThat(resources.gpuHours()).isCloseTo(4 * 1.12 / 3600, within(1e-12));
        // the built-in price of an H100
        assertThat(resources.cost().gpuHourUsd()).isEqualTo(2.99);
        assertThat(resources.cost().priceSource()).isEqualTo("built-in table (approximate)");
        assertThat(resources.cost().usdPerHour()).isCloseTo(4 * 2.99, within(1e-12));

        JsonNode json = ConfigMappers.json().readTree(out.resolve("summary.json").toFile());
        assertThat(json.at("/resources/gpus").asInt()).isEqualTo(4);
        assertThat(json.at("/resources/memory_per_gpu/kv_cache_gib").asDouble()).isEqualTo(55.0);
        assertThat(json.at("/resources/kv_tokens_by_replica/1").asLong()).isEqualTo(16_000);
        assertThat(json.at("/resources/cost/usd_per_million_output_tokens").isNumber()).isTrue();
    }

    @Test
    void costUsesTheConfiguredPriceAndIsNullWithoutOne(@TempDir Path out) throws Exception {
        RunSummary.Cost cost = SimulationRunner.run(TestingConfigs.load(TWO_REPLICAS_OF_TWO_GPUS,
                "cost={gpu_hour_usd: 3.6}"), out, new RunControl()).summary().resources().cost();

        // 4 GPUs at 3.60 $/h = 14.40 $/h = 0.004 $/s; 87 prompt and 9 output tokens in 1.12 s
        assertThat(cost.priceSource()).isEqualTo("configuration");
        assertThat(cost.gpuHourUsd()).isEqualTo(3.6);
        assertThat(cost.usdPerHour()).isCloseTo(14.4, within(1e-12));
        assertThat(cost.usd()).isCloseTo(14.4 * 1.12 / 3600, within(1e-12));
        assertThat(cost.usdPerMillionOutputTokens()).isCloseTo(0.004 * 1.12 / 9 * 1e6, within(1e-6));
        assertThat(cost.usdPerMillionInputTokens()).isCloseTo(0.004 * 1.12 / 87 * 1e6, within(1e-6));

        // a price for the GPU by name wins over the price for every GPU
        RunSummary.Cost byName = SimulationRunner.run(TestingConfigs.load(TWO_REPLICAS_OF_TWO_GPUS,
                "cost={gpu_hour_usd: 3.6, by_gpu: {h100-sxm-80gb: 2.5}}"), out.resolve("by-name"), new RunControl())
                .summary().resources().cost();
        assertThat(byName.gpuHourUsd()).isEqualTo(2.5);
        assertThat(byName.usdPerHour()).isCloseTo(10.0, within(1e-12));

        RunSummary unpriced = SimulationRunner.run(TestingConfigs.load(TWO_REPLICAS_OF_TWO_GPUS,
                "framework.gpu=my-gpu"), out.resolve("unpriced"), new RunControl()).summary();
        assertThat(unpriced.resources().gpus()).isEqualTo(4);
        assertThat(unpriced.resources().cost().usdPerHour()).isNaN();
        assertThat(unpriced.resources().cost().priceSource()).isEmpty();
        JsonNode json = ConfigMappers.json().readTree(out.resolve("unpriced/summary.json").toFile());
        assertThat(json.at("/resources/cost/usd_per_million_output_tokens").isNull()).isTrue();

        // an engine that does not model memory: no GPU figures
        RunSummary.Resources unknown = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS),
                out.resolve("unknown"), new RunControl()).summary().resources();
        assertThat(unknown.gpus()).isZero();
        assertThat(unknown.memoryPerGpu().known()).isFalse();
        assertThat(unknown.gpuHours()).isNaN();
        assertThat(unknown.cost()).isEqualTo(RunSummary.Cost.UNKNOWN);
    }

    @Test
    void breakdownsGroupTheSameRecords(@TempDir Path out) throws Exception {
        RunSummary summary = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS), out, new RunControl())
                .summary();

        assertThat(summary.breakdown().byReplica()).containsOnlyKeys("0");
        assertThat(summary.breakdown().byReplica().get("0").completed()).isEqualTo(3);
        assertThat(summary.breakdown().byReplica().get("0").ttftMs().p90()).isCloseTo(156, within(1e-9));
        assertThat(summary.breakdown().byTurn()).containsOnlyKeys("turn 1", "turns 2+");
        assertThat(summary.breakdown().byTurn().get("turns 2+").requests()).isZero();
        assertThat(summary.prefixCache().strategy()).isEqualTo("disabled");
        assertThat(summary.prefixCache().events()).containsEntry("NONE", 3L);
        assertThat(summary.prefixCache().tokenHitRate()).isZero();
        assertThat(summary.percentiles()).startsWith("exact");
        assertThat(summary.configHash()).hasSize(64);

        JsonNode json = ConfigMappers.json().readTree(out.resolve("summary.json").toFile());
        assertThat(json.at("/breakdown/by_turn/turns 2+/ttft_ms/p50").isNull()).isTrue();
        assertThat(json.at("/breakdown/by_profile/default/requests").asLong()).isEqualTo(3);
        // no SLO configured: goodput is undefined, not 100 %
        assertThat(json.at("/goodput/share").isNull()).isTrue();
        assertThat(json.at("/goodput/requests_per_s").isNull()).isTrue();
        assertThat(json.at("/version").asText()).isNotEmpty();
        // rows of requests.csv agree with the counts of summary.json
        List<String> rows = Files.readAllLines(out.resolve("requests.csv"));
        assertThat(rows.stream().skip(1).filter(row -> row.endsWith(",completed,,length")).count())
                .isEqualTo(json.at("/requests/completed").asLong())
                .isEqualTo(json.at("/requests/finished_by_reason/length").asLong());
        assertThat(json.at("/requests/finished_by_reason/stop").asLong()).isZero();
        assertThat(rows).hasSize((int) json.at("/requests/arrived").asLong() + 1);
    }
}
