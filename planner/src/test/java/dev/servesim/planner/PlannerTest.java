package dev.servesim.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.Shard;
import dev.servesim.runner.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {

    /** Llama-3.1-8B under Poisson load: small enough that a plan takes a few seconds. */
    static final String CONFIG = """
            name: small-plan
            seed: 3
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 4096}
            cluster: {replicas: 2, router: {name: least-loaded, load: in_flight}}
            cache: {strategy: disabled}
            workload: {source: poisson, rate: 20, duration: 20, prompt_tokens: 512, output_tokens: 64}
            """;

    static final PlanSlo SLO = PlanSlo.parse("ttft_p99=0.25,tpot_p99=0.03");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigLoader loader = new ConfigLoader(PluginRegistry.discover(List.of()));

    static PlanRequest request(Path config, Path out, Double target, List<String> searches, int jobs) {
        return new PlanRequest(config, List.of(), null, SLO, target, SearchSpace.parse(searches),
                PlanRequest.DEFAULT_RATE_KEY, 2, null, null, jobs, out, Shard.ALL);
    }

    @Test
    void findsTheFewestReplicasMeetingTheTargetAndPrunesWhatDoesNotFit(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG);
        PlanRequest request = request(config, folder.resolve("out"), 60.0, List.of(
                "framework.model=llama-3.1-8b,llama-3.1-70b", "framework.hardware=H100-SXM-80GB,L4",
                "cluster.replicas=1..12"), 2);
        Planner planner = new Planner(loader, request, PlanListener.NONE);

        Plan plan = planner.run();

        assertThat(plan.partial()).isFalse();
        assertThat(plan.outcomes()).extracting(Outcome::name).containsExactly(
                "framework.model=llama-3.1-8b, framework.hardware=H100-SXM-80GB",
                "framework.model=llama-3.1-8b, framework.hardware=L4",
                "framework.model=llama-3.1-70b, framework.hardware=H100-SXM-80GB",
                "framework.model=llama-3.1-70b, framework.hardware=L4");
        // 70B weights do not fit one GPU: pruned before any simulation, with the engine's reason
        for (Outcome pruned : plan.outcomes().subList(2, 4)) {
            assertThat(pruned.status()).isEqualTo(Outcome.Status.PRUNED);
            assertThat(pruned.reason()).startsWith("does not fit: ").contains("weights");
            assertThat(pruned.evaluations()).isEmpty();
            assertThat(pruned.saturation().limit()).isEqualTo("memory for weights");
        }
        Outcome h100 = plan.outcomes().get(0);
        assertThat(h100.status()).isEqualTo(Outcome.Status.MEETS);
        assertThat(h100.gpu()).isEqualTo("H100-SXM-80GB");
        assertThat(h100.result().rate()).isEqualTo(60.0);
        assertThat(h100.result().meets()).isTrue();
        assertThat(h100.seedsMeeting()).isEqualTo(2);
        // the fewest: the same rate one replica fewer misses (unless one replica is enough)
        int replicas = h100.replicas();
        if (replicas > 1) {
            assertThat(h100.evaluations()).anySatisfy(run -> {
                assertThat(run.replicas()).isEqualTo(replicas - 1);
                assertThat(run.rate()).isEqualTo(60.0);
                assertThat(run.meets()).isFalse();
            });
        }
        // one replica's saturation point lies below what the operating point asks of each replica times the
        // replicas, and a run beyond it missed
        assertThat(h100.saturation().ratePerReplica()).isPositive().isLessThan(60.0);
        assertThat(h100.evaluations()).anySatisfy(run -> {
            assertThat(run.replicas()).isEqualTo(1);
            assertThat(run.rate()).isGreaterThan(h100.saturation().ratePerReplica());
            assertThat(run.meets()).isFalse();
        });
        assertThat(h100.band().get("ttft_p99")[0]).isLessThanOrEqualTo(h100.figureMs("ttft_p99"));
        assertThat(h100.band().get("ttft_p99")[1]).isGreaterThanOrEqualTo(h100.figureMs("ttft_p99"));
        // the engine offers its coefficients' interval ends: the operating point's figure lies within their spread
        double[] model = h100.modelBand().get("ttft_p99");
        assertThat(model[0]).isLessThanOrEqualTo(h100.figureMs("ttft_p99")).isLessThan(model[1]);
        assertThat(h100.modelBand().get("tpot_p99")[1]).isGreaterThan(h100.modelBand().get("tpot_p99")[0]);
        // the roofline is an upper bound of what one replica sustains
        assertThat(h100.rooflineRatePerReplica()).isGreaterThan(h100.saturation().ratePerReplica());

        Outcome l4 = plan.outcomes().get(1);
        assertThat(l4.status()).isIn(Outcome.Status.MEETS, Outcome.Status.FAILS);
        if (l4.status() == Outcome.Status.MEETS) {
            // an L4 is slower than an H100: it needs at least as many of them
            assertThat(l4.replicas()).isGreaterThanOrEqualTo(h100.replicas());
        }
        assertThat(plan.cheapest()).isNotNull();
        assertThat(plan.pareto()).contains(plan.cheapest());
        assertThat(plan.meeting()).containsAll(plan.pareto());
    }

    @Test
    void anSglangDeploymentIsWrittenAsSglangsLaunchCommand(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG.replace(
                "{name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 4096}",
                "{name: sglang, model: llama-3.1-8b, hardware: H100-SXM-80GB, context_length: 4096,"
                        + " disable_overlap_schedule: true}"));
        PlanRequest request = request(config, folder.resolve("out"), 40.0, List.of("cluster.replicas=1..8"), 1);
        Planner planner = new Planner(loader, request, PlanListener.NONE);
        Plan plan = planner.run();

        PlanWriter.Chosen chosen = PlanWriter.write(plan, planner);

        assertThat(chosen.server()).isEqualTo("SGLang");
        assertThat(folder.resolve("out/chosen/vllm-serve.sh")).doesNotExist();
        assertThat(Files.readString(folder.resolve("out/chosen/sglang-serve.sh"))).contains(
                "exec python3 -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B-Instruct --tp-size 1"
                        + " --dtype bfloat16 --context-length 4096 --mem-fraction-static 0.88",
                " --chunked-prefill-size 8192 --page-size 1 --schedule-policy fcfs",
                " --disable-overlap-schedule --host 0.0.0.0 --port 8000 \"$@\"");
        assertThat(Files.readString(folder.resolve("out/chosen/deployment.yaml"))).contains(
                "replicas: " + plan.chosen().replicas(), "image: lmsysorg/sglang:",
                "command: [\"python3\", \"-m\", \"sglang.launch_server\"]", "- \"--disable-overlap-schedule\"");
        JsonNode json = JSON.readTree(folder.resolve("out/plan.json").toFile());
        assertThat(json.at("/chosen/serve").asText()).startsWith("python3 -m sglang.launch_server --model-path");
        assertThat(json.at("/chosen/serve_script").asText()).isEqualTo("chosen/sglang-serve.sh");
        assertThat(json.at("/chosen/vllm_serve").asText()).isEmpty();
    }

    @Test
    void theChosenConfigurationReproducesItsFiguresAndMeetsTheObjectives(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG);
        PlanRequest request = request(config, folder.resolve("out"), 40.0, List.of("cluster.replicas=1..8"), 1);
        Planner planner = new Planner(loader, request, PlanListener.NONE);
        Plan plan = planner.run();

        PlanWriter.Chosen chosen = PlanWriter.write(plan, planner);

        Outcome outcome = plan.chosen();
        assertThat(chosen.outcome()).isSameAs(outcome);
        assertThat(chosen.run().summary().latencyMs().ttft().p99()).isEqualTo(outcome.figureMs("ttft_p99"));
        Path yaml = folder.resolve("out/chosen/config.yaml");
        assertThat(Files.readString(yaml)).contains("replicas: " + outcome.replicas());
        RunResult again = SimulationRunner.run(loader.load(yaml, List.of()), folder.resolve("again"), new RunControl());
        assertThat(again.summary().latencyMs().ttft().p99()).isEqualTo(outcome.figureMs("ttft_p99"));
        assertThat(SLO.violations(again.summary())).isEmpty();
        assertThat(folder.resolve("out/chosen/report.html")).exists();
        assertThat(Files.readString(folder.resolve("out/chosen/vllm-serve.sh")))
                .contains("vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 1");
        assertThat(chosen.server()).isEqualTo("vLLM");
        assertThat(folder.resolve("out/chosen/sglang-serve.sh")).doesNotExist();
        assertThat(Files.readString(folder.resolve("out/chosen/deployment.yaml")))
                .contains("replicas: " + outcome.replicas(), "nvidia.com/gpu: 1");

        JsonNode json = JSON.readTree(folder.resolve("out/plan.json").toFile());
        assertThat(json.at("/mode").asText()).isEqualTo("target");
        assertThat(json.at("/chosen/name").asText()).isEqualTo(outcome.name());
        assertThat(json.at("/chosen/serve").asText()).isEqualTo(json.at("/chosen/vllm_serve").asText())
                .startsWith("vllm serve ");
        assertThat(json.at("/chosen/serve_script").asText()).isEqualTo("chosen/vllm-serve.sh");
        assertThat(json.at("/candidates/0/status").asText()).isEqualTo("meets");
        assertThat(json.at("/candidates/0/figures/ttft_p99_ms").asDouble()).isEqualTo(outcome.figureMs("ttft_p99"));
        assertThat(json.at("/candidates/0/band/ttft_p99_ms").size()).isEqualTo(2);
        List<String> csv = Files.readAllLines(folder.resolve("out/plan.csv"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0)).startsWith("candidate,status,replicas,gpus,gpu,rate,");
        assertThat(Files.readString(folder.resolve("out/plan.html"))).contains("\"kind\":\"plan\"");
    }

    @Test
    void theSameRequestGivesTheSamePlanWhateverTheThreads(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG);
        List<String> searches = List.of("framework.max_num_batched_tokens=512,2048", "cluster.replicas=1..8");
        Plan one = new Planner(loader, request(config, folder.resolve("a"), 40.0, searches, 1), PlanListener.NONE)
                .run();
        Plan two = new Planner(loader, request(config, folder.resolve("b"), 40.0, searches, 2), PlanListener.NONE)
                .run();

        String first = PlanWriter.json(one, null).replace(folder.resolve("a").toString(), "");
        String second = PlanWriter.json(two, null).replace(folder.resolve("b").toString(), "");
        assertThat(first).isEqualTo(second);
        assertThat(PlanWriter.csv(one)).isEqualTo(PlanWriter.csv(two));
    }

    @Test
    void withoutATargetEachReplicaCountGetsItsHighestRate(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG);
        Plan plan = new Planner(loader, request(config, folder.resolve("out"), null, List.of("cluster.replicas=1,2"),
                2), PlanListener.NONE).run();

        assertThat(plan.outcomes()).extracting(Outcome::name)
                .containsExactly("cluster.replicas=1", "cluster.replicas=2");
        Outcome one = plan.outcomes().get(0);
        Outcome two = plan.outcomes().get(1);
        assertThat(one.status()).isEqualTo(Outcome.Status.MEETS);
        assertThat(two.status()).isEqualTo(Outcome.Status.MEETS);
        assertThat(one.replicas()).isEqualTo(1);
        assertThat(two.replicas()).isEqualTo(2);
        // two replicas sustain more than one, and a run just beyond the highest rate missed
        assertThat(two.rate()).isGreaterThan(one.rate());
        for (Outcome outcome : plan.outcomes()) {
            assertThat(outcome.evaluations()).anySatisfy(run -> {
                assertThat(run.rate()).isGreaterThan(outcome.rate());
                assertThat(run.meets()).isFalse();
            });
            // every seed meets the rate found
            assertThat(outcome.evaluations().stream().filter(run -> run.rate() == outcome.rate()))
                    .hasSize(2).allMatch(Evaluation::meets);
            assertThat(outcome.seedsMeeting()).isEqualTo(2);
        }
        assertThat(plan.highestRate()).isSameAs(two);
        assertThat(plan.pareto()).isNotEmpty();
    }

    @Test
    void aStoppedPlanKeepsWhatItDecidedAndSaysItIsPartial(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG);
        Planner planner = new Planner(loader, request(config, folder.resolve("out"), 40.0,
                List.of("framework.model=llama-3.1-70b,llama-3.1-8b", "cluster.replicas=1..8"), 1), PlanListener.NONE);
        planner.stop();

        Plan plan = planner.run();

        assertThat(plan.partial()).isTrue();
        // pruning needs no run, so the 70B candidate is decided; the 8B one is not
        assertThat(plan.outcomes()).extracting(Outcome::status)
                .containsExactly(Outcome.Status.PRUNED, Outcome.Status.UNFINISHED);
        assertThat(plan.chosen()).isNull();
        PlanWriter.write(plan, planner);
        JsonNode json = JSON.readTree(folder.resolve("out/plan.json").toFile());
        assertThat(json.at("/partial").asBoolean()).isTrue();
        assertThat(json.at("/chosen").isNull()).isTrue();
        assertThat(json.at("/candidates/1/status").asText()).isEqualTo("unfinished");
    }
}
