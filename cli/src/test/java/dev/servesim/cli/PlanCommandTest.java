package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {

    private static final String CONFIG = """
            name: cli-plan
            seed: 3
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 4096}
            cache: {strategy: disabled}
            workload: {source: poisson, rate: 10, duration: 10, prompt_tokens: 256, output_tokens: 32}
            """;

    @Test
    void plansAndPrintsTheCheapestAndItsFiles(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG);
        Path out = folder.resolve("out");

        TestingCommandLine.Result result = TestingCommandLine.run("plan", config.toString(), "--slo",
                "ttft_p99=300ms,tpot_p99=0.05", "--target", "rate=30", "--search", "framework.hardware=H100-SXM-80GB,L4",
                "--search", "cluster.replicas=1..6", "--seeds", "2", "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("hardware", "status", "TTFT p99 ms", "cheapest:", "chosen, as vLLM: vllm serve",
                "results in " + out);
        assertThat(out.resolve("plan.json")).exists();
        assertThat(out.resolve("plan.csv")).exists();
        assertThat(out.resolve("plan.html")).exists();
        assertThat(out.resolve("chosen/config.yaml")).exists();
        assertThat(result.err()).contains("servesim plan: [", "2/2");
    }

    @Test
    void badInputIsOneLineAndExitCode2(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("plan.yaml"), CONFIG);
        String path = config.toString();

        assertUsage(TestingCommandLine.run("plan", path, "--slo", "ttft_p98=0.5"), "unknown objective 'ttft_p98'");
        assertUsage(TestingCommandLine.run("plan", path, "--slo", "ttft_p99=0.5", "--target", "rate=fast"),
                "--target rate=fast: expected rate=R");
        assertUsage(TestingCommandLine.run("plan", path, "--slo", "ttft_p99=0.5", "--target", "rate=-3"),
                "--target: rate must be a positive number");
        assertUsage(TestingCommandLine.run("plan", path, "--slo", "ttft_p99=0.5", "--search", "cluster.replicas=0..3"),
                "cluster.replicas=0..3");
        assertUsage(TestingCommandLine.run("plan", path, "--slo", "ttft_p99=0.5", "--budget", "gpus=many"),
                "--budget gpus=many");
        assertUsage(TestingCommandLine.run("plan", path, "--slo", "ttft_p99=0.5", "--target", "rate=5", "--search",
                "framework.no_such_key=1,2", "--out", folder.resolve("x").toString()), "no_such_key");
        assertUsage(TestingCommandLine.run("plan", path, "--slo", "ttft_p99=0.5", "--seeds", "0"), "--seeds");
        assertThat(folder.resolve("x")).doesNotExist();
    }

    private static void assertUsage(TestingCommandLine.Result result, String message) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(message);
        assertThat(result.err().strip().lines()).hasSize(1);
    }
}
