package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.cli.TestingCommandLine.Result;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servesim compare} with the prometheus sink on a fixed port, its variants running at the same time. */
class ComparePrometheusTest {

    @Test
    void parallelVariantsShareTheSinksEndpointInsteadOfCollidingOnItsPort(@TempDir Path folder) throws Exception {
        // a port that is free now; the command binds it (a fixed port in the configuration is the point)
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        Path config = Files.writeString(folder.resolve("small.yaml"), """
                name: small
                seed: 3
                framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB}
                workload: {source: poisson, rate: 20, duration: 60, prompt_tokens: 700, output_tokens: 50}
                sinks: [json, {name: prometheus, port: %d}]
                """.formatted(port));
        Path out = folder.resolve("out");

        Result result = TestingCommandLine.run("compare", config.toString(), "--vary",
                "cache.strategy=disabled,block-hash", "--jobs", "2", "--out", out.toString(), "--quiet",
                "--plugins", folder.resolve("none").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        String url = "http://127.0.0.1:" + port + "/metrics";
        for (String variant : new String[] {"cache.strategy-disabled", "cache.strategy-block-hash"}) {
            assertThat(Files.readString(out.resolve(variant).resolve("prometheus.address")).strip()).as(variant)
                    .isEqualTo(url);
            assertThat(out.resolve(variant).resolve("summary.json")).as(variant).exists();
        }
        // every sink has detached: the port is free again
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
