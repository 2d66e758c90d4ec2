package dev.servesim.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged distribution as a user would: unzip it, run {@code bin/servesim} in a separate JVM on the module
 * path, drop a plugin jar into {@code plugins/}. Only this catches module descriptors that Surefire's relaxed module
 * path hides (missing {@code opens}, missing {@code requires}).
 */
class DistributionIT {

    @TempDir
    static Path home;

    static Path servesim;

    private record Result(int exitCode, String out, String err) {}

    @BeforeAll
    static void unzip() throws IOException {
        servesim = PackagedDistribution.unzip(home).resolve("bin/servesim");
    }

    private static Result servesim(Path workingDirectory, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(servesim.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        String javaHome = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent()
                .toString();
        builder.environment().put("JAVA_HOME", javaHome);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bin/servesim did not end: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path distribution() {
        return servesim.getParent().getParent();
    }

    @Test
    void quickstartRunsFromThePackagedLauncher() throws Exception {
        Path work = Files.createTempDirectory(home, "quickstart");
        Result result = servesim(work, "run", distribution().resolve("examples/quickstart.yaml").toString(),
                "--set", "workload.duration=20", "--out", "results");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("servesim run 'quickstart'", "TTFT");
        String summary = Files.readString(work.resolve("results/summary.json"));
        assertThat(summary).contains("\"completed\"", "\"ttft\"", "\"p99\"", "\"output_tokens_per_s\"",
                "\"simulated_seconds\"", "\"wall_seconds\"", "\"seed\" : 42");
        assertThat(work.resolve("results/requests.csv")).exists();
        assertThat(work.resolve("results/config.resolved.yaml")).exists();
        assertReportRendersInChromium(work.resolve("results/report.html"));
    }

    /**
     * Opens a report in headless Chromium (Debian's package; CI installs it) and checks that its script ran without
     * error and that every chart drew data.
     */
    private static void assertReportRendersInChromium(Path report) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(chromium),
                "chromium not installed (apt-get install chromium): report.html not rendered");
        Path profile = Files.createTempDirectory(home, "chromium");
        Path dom = Files.createTempFile(home, "dom", ".html");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom",
                report.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not end");
        }
        String html = Files.readString(dom);
        assertThat(html).contains("data-status=\"ok\"");
        assertThat(html).doesNotContainPattern("<canvas[^>]*data-empty=\"true\"");
        java.util.regex.Matcher points = java.util.regex.Pattern.compile("<canvas[^>]*data-points=\"(\\d+)\"")
                .matcher(html);
        int charts = 0;
        while (points.find()) {
            charts++;
            assertThat(Integer.parseInt(points.group(1))).isPositive();
        }
        assertThat(charts).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aPluginJarDroppedIntoPluginsIsListedAndSelectable() throws Exception {
        Path plugins = distribution().resolve("plugins");
        Files.copy(Path.of(System.getProperty("servesim.plugin.jar")), plugins.resolve("fixed-latency.jar"));
        Files.write(plugins.resolve("broken.jar"), "not a jar".getBytes(StandardCharsets.UTF_8));
        try {
            Result listing = servesim(home, "plugins");
            assertThat(listing.exitCode()).as(listing.err()).isZero();
            assertThat(listing.out()).contains("fixed-latency", "module dev.servesim.examples.fixedlatency",
                    "fixed-latency.jar (plugins folder)", "vllm");
            assertThat(listing.err()).contains("plugin broken.jar skipped");

            Path work = Files.createTempDirectory(home, "fixed");
            Result run = servesim(work, "run", distribution().resolve("examples/fixed-latency.yaml").toString(),
                    "--out", "results");
            assertThat(run.exitCode()).as(run.err()).isZero();
            String summary = Files.readString(work.resolve("results/summary.json"));
            // ttft is 0.25 s and every token 0.02 s after the previous one, whatever the load
            assertThat(summary).containsPattern("\"ttft\" : \\{[^}]*\"p50\" : 250\\.0");
            assertThat(summary).containsPattern("\"tpot\" : \\{[^}]*\"max\" : 20\\.0");
        } finally {
            Files.delete(plugins.resolve("fixed-latency.jar"));
            Files.delete(plugins.resolve("broken.jar"));
        }
    }

    @Test
    void badConfigurationFailsWithExitCodeTwoAndOneMessage() throws Exception {
        Path config = Files.writeString(home.resolve("bad.yaml"), """
                framework: {name: vllm, max_num_seqs: 0}
                workload: {source: poisson, rate: 1, duration: 5}
                """);
        Result result = servesim(home, "run", config.toString(), "--out", home.resolve("never").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo(
                "servesim: " + config + ":1:25: framework.max_num_seqs: must be positive, got 0");
        assertThat(home.resolve("never")).doesNotExist();
    }

    @Test
    void versionAndHelpWork() throws Exception {
        Result version = servesim(home, "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("servesim " + System.getProperty("servesim.version"));
        Result help = servesim(home, "--help");
        assertThat(help.out()).contains("run", "validate", "plugins", "schema");
        assertThat(distribution().resolve("plugins/README.md")).isRegularFile();
        assertThat(distribution().resolve("lib")).isDirectoryContaining("glob:**servesim-api-*.jar");
    }
}
