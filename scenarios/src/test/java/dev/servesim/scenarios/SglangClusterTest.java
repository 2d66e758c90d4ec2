package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Clusters and prefill/decode disaggregation with the sglang engine (docs/cluster.md, "With the sglang engine"). */
class SglangClusterTest {

    private static final String SGLANG = "{name: sglang, model: llama-3.1-8b, hardware: H100-SXM-80GB,"
            + " context_length: 4096, step_time: roofline}";

    // conversations over shared system prompts, with sessions for session-affinity
    private static final String CONVERSATIONS = """
            seed: 1
            framework: %s
            cluster: {replicas: 3, router: %s}
            workload: {source: multiturn, rate: 4, duration: 15, turns: 4, think_time: 0.5, prefix_count: 3,
              prefix_tokens: 256, prompt_tokens_distribution: {type: lognormal, mean: 200, stddev: 80},
              output_tokens: 32, context_overflow: end}
            sinks: [json]
            """;

    @ParameterizedTest
    @ValueSource(strings = {"{name: random}", "{name: round-robin}", "{name: least-loaded}",
        "{name: least-loaded, load: in_flight}", "{name: least-kv}", "{name: weighted-random, weights: [1, 2, 1]}",
        "{name: session-affinity}", "{name: prefix-aware}"})
    void everyRouterServesEveryRequestOfAnSglangCluster(String router, @TempDir Path folder) throws Exception {
        RunSummary summary = Scenarios.run(folder, "cluster", CONVERSATIONS.formatted(SGLANG, router)).summary();

        RunSummary.Requests requests = summary.requests();
        assertThat(requests.arrived()).isGreaterThan(100);
        assertThat(requests.completed()).isEqualTo(requests.arrived());
        assertThat(requests.rejected() + requests.unfinished()).isZero();
        List<Long> decisions = summary.cluster().decisions();
        assertThat(decisions).hasSize(3);
        assertThat(decisions.stream().mapToLong(Long::longValue).sum()).isEqualTo(requests.arrived());
    }

    // 16 system prompts of 1,000 tokens on 4 replicas whose pools (about 8,500 tokens each) hold half of them
    private static final String SHARED_PREFIXES = """
            seed: 1
            framework: {name: sglang, model: llama-3.1-8b, hardware: H100-SXM-80GB, context_length: 2048,
              mem_fraction_static: 0.2, step_time: roofline}
            cluster: {replicas: 4, router: {name: prefix-aware}}
            workload: {source: shared-prefix, num_unique_system_prompts: 16, users_per_system_prompt: 4,
              system_prompt_len: 1000, question_len: 100, output_len: 50, load_type: poisson,
              stages: [{rate: 10, duration: 30}]}
            sinks: [json]
            """;

    @Test
    void prefixAwareRoutingSeesTheRadixTreesOfSglangReplicas(@TempDir Path folder) throws Exception {
        RunSummary prefixAware = Scenarios.run(folder, "prefix-aware", SHARED_PREFIXES).summary();
        RunSummary roundRobin = Scenarios.run(folder, "round-robin", SHARED_PREFIXES,
                "cluster.router.name=round-robin").summary();

        assertThat(prefixAware.requests().completed()).isEqualTo(prefixAware.requests().arrived());
        assertThat(roundRobin.requests().completed()).isEqualTo(roundRobin.requests().arrived());
        long prefixAwareHits = prefixAware.engine().get("radix_hit_tokens");
        long roundRobinHits = roundRobin.engine().get("radix_hit_tokens");
        // the pages each replica's tree published keep every system prompt on the replicas that hold it
        // (280,000 hit tokens against 65,000: docs/cluster.md, "With the sglang engine")
        assertThat(prefixAwareHits).isGreaterThan(roundRobinHits * 3);
        assertThat(prefixAware.engine().get("radix_evicted_tokens"))
                .isLessThan(roundRobin.engine().get("radix_evicted_tokens") / 4);
    }

    private static final String DISAGGREGATED = """
            seed: 1
            framework: %s
            cluster:
              mode: disaggregated
              router: {name: least-loaded, load: in_flight}
              prefill: {replicas: 1}
              decode: {replicas: 2}
            workload: {source: poisson, rate: 8, duration: 20, prompt_tokens: 1024, output_tokens: 64}
            sinks: [json, csv]
            """.formatted(SGLANG);

    @Test
    void disaggregatedSglangServesEveryRequestAndDecodesOnlyTheLastPromptToken(@TempDir Path folder)
            throws Exception {
        StepTotals steps = new StepTotals();
        RunSummary summary = Scenarios.run(folder, "pd", DISAGGREGATED.replace("sinks: [json, csv]",
                "sinks: [json, csv, " + StepTotals.SINK + "]"), steps).summary();

        RunSummary.Requests requests = summary.requests();
        assertThat(requests.arrived()).isGreaterThan(100);
        assertThat(requests.completed()).isEqualTo(requests.arrived());
        assertThat(requests.rejected() + requests.unfinished()).isZero();
        RunSummary.Cluster cluster = summary.cluster();
        assertThat(cluster.pools().get("prefill").requests()).isEqualTo(requests.arrived());
        assertThat(cluster.pools().get("decode").requests()).isEqualTo(requests.arrived());
        assertThat(cluster.outputTokens().get(0)).isEqualTo(requests.arrived());
        assertThat(cluster.outputTokens().get(1) + cluster.outputTokens().get(2)).isEqualTo(requests.arrived() * 64);
        // Llama-3.1-8B in bf16: 131,072 bytes of KV per token
        assertThat(cluster.transferredBytes()).isEqualTo(requests.arrived() * 1024L * 131_072L);
        // the prefill replica computes every prompt; the decode replicas compute no prompt but the last token of
        // each, in the step that samples its first output, then one token per output
        assertThat(steps.prefillTokens(0)).isEqualTo(requests.arrived() * 1024);
        assertThat(steps.prefillTokens(1) + steps.prefillTokens(2)).isZero();
        assertThat(steps.decodeTokens(1) + steps.decodeTokens(2)).isEqualTo(requests.arrived() * 64);
        assertThat(summary.engine().get("retractions")).isZero();
    }

    @Test
    void theSameSeedGivesTheSameDisaggregatedRun(@TempDir Path folder) throws Exception {
        RunSummary first = Scenarios.run(folder, "first", DISAGGREGATED).summary();
        RunSummary second = Scenarios.run(folder, "second", DISAGGREGATED).summary();

        assertThat(Files.readString(folder.resolve("second/requests.csv")))
                .isEqualTo(Files.readString(folder.resolve("first/requests.csv")));
        assertThat(second.latencyMs()).isEqualTo(first.latencyMs());
        assertThat(second.cluster()).isEqualTo(first.cluster());
        assertThat(second.engine()).isEqualTo(first.engine());
    }

    // one vllm and one sglang replica: a group's framework section may name another framework
    private static final String MIXED = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            cache: {strategy: block-hash}
            cluster:
              router: %s
              groups:
                - {replicas: 1}
                - {replicas: 1, framework: {name: sglang, context_length: 4096, step_time: roofline}}
            workload: {source: multiturn, rate: 4, duration: 15, turns: 4, think_time: 0.5, prefix_count: 3,
              prefix_tokens: 256, prompt_tokens_distribution: {type: lognormal, mean: 200, stddev: 80},
              output_tokens: 32, context_overflow: end}
            sinks: [json]
            """;

    @ParameterizedTest
    @ValueSource(strings = {"{name: round-robin}", "{name: prefix-aware}", "{name: session-affinity}"})
    void aClusterMayMixVllmAndSglangReplicas(String router, @TempDir Path folder) throws Exception {
        RunSummary summary = Scenarios.run(folder, "mixed", MIXED.formatted(router)).summary();

        RunSummary.Requests requests = summary.requests();
        assertThat(requests.completed()).isEqualTo(requests.arrived());
        assertThat(summary.cluster().decisions()).allSatisfy(decisions -> assertThat(decisions).isPositive());
        // the vllm replica's counters and the sglang replica's, side by side
        assertThat(summary.engine()).containsKey("radix_hit_tokens");
    }

    @Test
    void vllmPrefillReplicasCanHandOverToSglangDecodeReplicas(@TempDir Path folder) throws Exception {
        String yaml = DISAGGREGATED
                .replace("framework: " + SGLANG + "\n",
                        "framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}\n")
                .replace("decode: {replicas: 2}",
                        "decode: {replicas: 2, framework: {name: sglang, context_length: 4096, step_time: roofline}}");
        assertThat(yaml).contains("name: vllm").contains("name: sglang");
        StepTotals steps = new StepTotals();
        RunSummary summary = Scenarios.run(folder, "mixed-pd", yaml.replace("sinks: [json, csv]",
                "sinks: [json, csv, " + StepTotals.SINK + "]"), steps).summary();

        RunSummary.Requests requests = summary.requests();
        assertThat(requests.completed()).isEqualTo(requests.arrived());
        assertThat(steps.prefillTokens(1) + steps.prefillTokens(2)).isZero();
        assertThat(steps.decodeTokens(1) + steps.decodeTokens(2)).isEqualTo(requests.arrived() * 64);
    }
}
