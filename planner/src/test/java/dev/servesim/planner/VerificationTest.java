package dev.servesim.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.Shard;
import dev.servesim.serve.ServeOptions;
import dev.servesim.serve.ServeSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The closed loop against a real server: servesim serve standing in for one replica of the chosen deployment. */
class VerificationTest {

    private static final String CONFIG = """
            name: verify-plan
            seed: 5
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 4096}
            cache: {strategy: disabled}
            workload: {source: poisson, rate: 6, duration: 4, prompt_tokens: 256, output_tokens: 32}
            """;

    @Test
    void measuredFiguresOfTheChosenDeploymentStandBesideThePredictedOnes(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG);
        PluginRegistry registry = PluginRegistry.discover(List.of());
        PlanRequest request = new PlanRequest(config, List.of(), null, PlanSlo.parse("ttft_p99=1,tpot_p99=0.1"),
                6.0, SearchSpace.parse(List.of("cluster.replicas=1..2")), PlanRequest.DEFAULT_RATE_KEY, 1, null, null,
                1, folder.resolve("plan"), Shard.ALL);
        Planner planner = new Planner(new ConfigLoader(registry), request, PlanListener.NONE);
        Plan plan = planner.run();
        PlanWriter.write(plan, planner);
        assertThat(plan.chosen().replicas()).isEqualTo(1);

        // one replica of the chosen deployment, served in real time
        RunConfiguration served = ServeSession.configuration(registry, folder.resolve("plan/chosen/config.yaml"),
                List.of("cluster.replicas=1"), null);
        try (ServeSession server = ServeSession.start(served, folder.resolve("served"),
                ServeOptions.defaults("127.0.0.1", 0, 1))) {
            String url = server.apiUrl().toString().replaceFirst("/v1$", "");

            List<Verification.Check> checks = Verification.run(planner, plan, url, 3, new RunControl());

            assertThat(checks).hasSize(1);
            Verification.Check check = checks.get(0);
            assertThat(check.candidate()).isEqualTo(plan.chosen().name());
            assertThat(check.ratePerReplica()).isEqualTo(6.0);
            assertThat(check.measuredRequests()).isPositive();
            // the same engine behind a real HTTP path: the server's figures follow the prediction
            assertThat(check.ape("tpot_p50")).isLessThan(50);
            assertThat(check.ape("ttft_p50")).isLessThan(50);
            assertThat(check.folder().resolve("trace.jsonl")).exists();
            assertThat(Verification.table(checks)).contains("TTFT p99", "predicted ms", "measured ms");
        }
        JsonNode json = new ObjectMapper().readTree(folder.resolve("plan/verify.json").toFile());
        assertThat(json.at("/checks/0/figures/ttft_p99_ms/predicted").isNumber()).isTrue();
        assertThat(json.at("/checks/0/figures/ttft_p99_ms/measured").isNumber()).isTrue();
        assertThat(json.at("/checks/0/folder").asText()).startsWith("verify/");
    }
}
