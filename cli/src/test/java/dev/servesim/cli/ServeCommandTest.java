package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.cli.TestingCommandLine.Result;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code servesim serve}'s refusals, in-process: each one clear line and exit code 2, before anything listens or is
 * written. (Serving until a signal is tested on the packaged launcher: distribution's ServeIT.)
 */
class ServeCommandTest {

    private static final String CONFIG = """
            name: served
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
            """;

    @Test
    void badOptionsAreUsageErrors(@TempDir Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("serve.yaml"), CONFIG);

        Result scale = TestingCommandLine.run("serve", config.toString(), "--time-scale", "0");
        assertThat(scale.exitCode()).isEqualTo(2);
        assertThat(scale.err()).contains("--time-scale: must be a positive number, got 0.0")
                .doesNotContain("Exception");

        Result concurrency = TestingCommandLine.run("serve", config.toString(), "--max-concurrent-requests", "0");
        assertThat(concurrency.exitCode()).isEqualTo(2);
        assertThat(concurrency.err()).contains("--max-concurrent-requests: must be at least 1, got 0");
    }

    @Test
    void aRefusedConfigurationOrATakenPortStopsBeforeAnythingIsWritten(@TempDir Path folder) throws Exception {
        Path bad = Files.writeString(folder.resolve("bad.yaml"), CONFIG.replace("}", ", max_num_seqs: 0}"));
        Result refused = TestingCommandLine.run("serve", bad.toString(), "--out", folder.resolve("a").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("framework.max_num_seqs: must be positive, got 0");
        assertThat(folder.resolve("a")).doesNotExist();

        Path config = Files.writeString(folder.resolve("serve.yaml"), CONFIG);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result busy = TestingCommandLine.run("serve", config.toString(), "--port",
                    Integer.toString(taken.getLocalPort()), "--out", folder.resolve("b").toString());
            assertThat(busy.exitCode()).isEqualTo(2);
            assertThat(busy.err()).contains("--port: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("--port 0 picks a free one").doesNotContain("Exception");
        }
        assertThat(folder.resolve("b")).doesNotExist();
    }

    @Test
    void replicaPortsThatCannotBeGivenAreRefusedBeforeAnythingListens(@TempDir Path folder) throws Exception {
        Path cluster = Files.writeString(folder.resolve("cluster.yaml"), CONFIG
                + "cluster: {replicas: 16, router: {name: round-robin}}\n");
        Result past = TestingCommandLine.run("serve", cluster.toString(), "--port", "65530", "--out",
                folder.resolve("a").toString());
        assertThat(past.exitCode()).isEqualTo(2);
        assertThat(past.err()).contains("--port: the 16 replicas listen on the ports after 65530, which would pass "
                + "65535 (--port 0 picks free ports)").doesNotContain("Exception");
        assertThat(folder.resolve("a")).doesNotExist();

        Path disaggregated = Files.writeString(folder.resolve("pd.yaml"), CONFIG
                + "cluster: {mode: disaggregated, router: {name: round-robin}}\n");
        Result pd = TestingCommandLine.run("serve", disaggregated.toString(), "--replica-ports-file",
                folder.resolve("ports").toString(), "--out", folder.resolve("b").toString());
        assertThat(pd.exitCode()).isEqualTo(2);
        assertThat(pd.err()).contains("--replica-ports-file: a disaggregated cluster has no ports of its replicas");
        assertThat(folder.resolve("b")).doesNotExist();
        assertThat(folder.resolve("ports")).doesNotExist();
    }

    @Test
    void helpNamesTheOptions() {
        Result help = TestingCommandLine.run("serve", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--host", "--port", "--time-scale", "--served-model-name", "--port-file",
                "--replica-ports-file",
                "--max-concurrent-requests", "--request-timeout", "--drain");
    }
}
