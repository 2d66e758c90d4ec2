package dev.servesim.distribution;

import static dev.servesim.distribution.PackagedDistribution.log;
import static dev.servesim.distribution.PackagedDistribution.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servesim loadgen} from the packaged launcher (its module, java.net.http, on the distribution's path). */
class LoadgenIT {

    @TempDir
    static Path home;

    static Path servesim;

    @BeforeAll
    static void unzip() throws Exception {
        servesim = PackagedDistribution.unzip(home).resolve("bin/servesim");
    }

    @Test
    void anUnreachableTargetIsOneLineAndExitCodeTwo() throws Exception {
        Path work = Files.createTempDirectory(home, "unreachable");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Process loadgen = start(work, "loadgen", List.of(servesim.toString(), "loadgen", "--target",
                "http://127.0.0.1:" + closedPort, "--workload",
                servesim.getParent().getParent().resolve("examples/quickstart.yaml").toString(), "--out", "results"));
        assertThat(loadgen.waitFor(2, TimeUnit.MINUTES)).as(log(work, "loadgen")).isTrue();

        assertThat(loadgen.exitValue()).as(log(work, "loadgen")).isEqualTo(2);
        assertThat(Files.readAllLines(work.resolve("loadgen.err"))).singleElement().asString()
                .startsWith("servesim: --target http://127.0.0.1:" + closedPort + ": cannot connect");
        assertThat(work.resolve("results")).doesNotExist();
        assertThat(servesim.getParent().getParent().resolve("lib"))
                .isDirectoryContaining("glob:**servesim-loadgen-*.jar");
    }
}
