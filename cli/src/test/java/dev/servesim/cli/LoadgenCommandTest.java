package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.cli.TestingCommandLine.Result;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** servesim loadgen's refusals: one line, exit code 2, nothing written. (Its runs: LoadgenIT in the distribution.) */
class LoadgenCommandTest {

    private static final String WORKLOAD = """
            workload: {source: poisson, rate: 5, num_requests: 3, prompt_tokens: 32, output_tokens: 4}
            """;

    @TempDir
    Path folder;

    private Result loadgen(String target, String... more) throws Exception {
        Path config = Files.writeString(folder.resolve("load.yaml"), WORKLOAD);
        String[] args = new String[5 + more.length];
        args[0] = "loadgen";
        args[1] = "--target";
        args[2] = target;
        args[3] = "--workload";
        args[4] = config.toString();
        System.arraycopy(more, 0, args, 5, more.length);
        return TestingCommandLine.run(args);
    }

    private void assertRefused(Result result, String line) {
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("servesim: " + line + System.lineSeparator());
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void aTargetThatIsNoUrlIsRefused() throws Exception {
        assertRefused(loadgen("127.0.0.1:8000", "--out", folder.resolve("out").toString()),
                "--target: expected an http:// or https:// URL of a server, like http://127.0.0.1:8000, got "
                        + "'127.0.0.1:8000'");
    }

    @Test
    void aTargetNobodyListensOnIsRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Result result = loadgen("http://127.0.0.1:" + closedPort, "--out", folder.resolve("out").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("servesim: --target http://127.0.0.1:" + closedPort + ": cannot connect")
                .endsWith("is the server running?" + System.lineSeparator())
                .doesNotContain("Exception", "\tat ");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void anApiKeyVariableThatIsNotSetIsRefused() throws Exception {
        String unset = "SERVESIM_TEST_UNSET_" + ProcessHandle.current().pid();
        assertRefused(loadgen("http://127.0.0.1:1", "--api-key-env", unset),
                "--api-key-env: the environment variable " + unset + " is not set");
    }

    @Test
    void limitsMustBePositive() throws Exception {
        assertRefused(loadgen("http://127.0.0.1:1", "--max-requests", "0"), "--max-requests: must be at least 1, got 0");
        assertRefused(loadgen("http://127.0.0.1:1", "--max-seconds", "-2"),
                "--max-seconds: must be a positive number, got -2.0");
        assertRefused(loadgen("http://127.0.0.1:1", "--warmup", "-1"), "--warmup: must be at least 0, got -1");
    }
}
