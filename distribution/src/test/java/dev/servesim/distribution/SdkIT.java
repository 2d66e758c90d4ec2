package dev.servesim.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party with only the zip and a JDK: {@code servesim new-plugin} writes a project of every kind, Maven builds
 * three of them offline against the zip's {@code sdk/} and nothing of the servesim build, running their tests (the
 * conformance kit of each kind among them), and the jars dropped into {@code plugins/} are listed and run. (The cli's
 * NewPluginCommandTest compiles all five kinds; CI builds the other two, cache and router, the same way.)
 *
 * <p>The local Maven repository of these builds is a fresh folder, so that they neither see servesim artifacts that
 * another build installed nor leave the sdk's in the shared one. Maven's own plugins and the third-party libraries
 * (JUnit, AssertJ, and Guice, Jackson and the others that the runner under the conformance kits uses) come from the
 * outer build's local repository, read as a file repository that offers releases only: a servesim artifact missing
 * from the sdk fails the build instead of being found there.
 */
class SdkIT {

    private static final List<String> KINDS = List.of("cache", "router", "engine", "workload", "sink");
    private static final List<String> BUILT = List.of("engine", "workload", "sink");

    @TempDir
    static Path home;

    static Path distribution;
    static Path settings;
    static Path repository;

    @BeforeAll
    static void unzip() throws IOException {
        distribution = PackagedDistribution.unzip(home);
        repository = home.resolve("m2");
        String userRepository = Path.of(System.getProperty("servesim.m2")).toUri().toString();
        String releasesOnly = """
                  <url>%s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots>
                """.formatted(userRepository);
        settings = Files.writeString(home.resolve("settings.xml"), """
                <settings>
                  <profiles>
                    <profile>
                      <id>user-repository</id>
                      <repositories><repository><id>central</id>%1$s</repository></repositories>
                      <pluginRepositories><pluginRepository><id>central</id>%1$s</pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(releasesOnly));
    }

    /** Runs {@code command} in {@code work} and returns its exit code; output in {@code work/name.out|err}. */
    private static int execute(Path work, String name, List<String> command) throws Exception {
        Process process = PackagedDistribution.start(work, name, command);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not end: " + command);
        }
        return process.exitValue();
    }

    private static int servesim(Path work, String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(distribution.resolve("bin/servesim").toString()));
        command.addAll(List.of(args));
        return execute(work, name, command);
    }

    private static String mvn() {
        Path mvn = Path.of(System.getProperty("servesim.mvn", "mvn"));
        return Files.isExecutable(mvn) ? mvn.toString() : "mvn";
    }

    @Test
    void pluginsOfEveryKindAreWrittenBuiltAgainstTheSdkAloneDroppedInAndRun() throws Exception {
        Path projects = Files.createDirectories(home.resolve("projects"));
        for (String kind : KINDS) {
            Path project = projects.resolve("my-" + kind);
            assertThat(servesim(projects, "new-" + kind, "new-plugin", "--kind", kind, "--name", "my-" + kind,
                    "--dir", project.toString())).as(PackagedDistribution.log(projects, "new-" + kind)).isZero();
            assertThat(Files.readString(project.resolve("pom.xml")))
                    .contains(distribution.resolve("sdk/repository").toUri().toString());
        }

        for (String kind : BUILT) {
            Path project = projects.resolve("my-" + kind);
            // what the README says, plus the isolated repository and warnings as errors
            int code = execute(project, "mvn", List.of(mvn(), "-o", "-B", "-q", "-s", settings.toString(),
                    "-Dmaven.repo.local=" + repository, "-Dmaven.compiler.failOnWarning=true", "package"));
            assertThat(code).as(kind + ": " + PackagedDistribution.log(project, "mvn")).isZero();
            Path jar = project.resolve("target/my-" + kind + "-0.1.0-SNAPSHOT.jar");
            assertThat(jar).exists();
            // the template's own test and the conformance kit of its kind ran, and passed
            String prefix = "com.example.my" + kind + ".My" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
            for (String test : List.of("PluginTest", "ConformanceTest")) {
                assertThat(Files.readString(project.resolve("target/surefire-reports/" + prefix + test + ".txt")))
                        .as(kind + " " + test)
                        .containsPattern("Tests run: [1-9]\\d*, Failures: 0, Errors: 0, Skipped: 0");
            }
            Files.copy(jar, distribution.resolve("plugins").resolve(jar.getFileName()));
        }
        // every servesim artifact came from the sdk: the parent, the api, the fixtures and what the kits run
        try (Stream<Path> artifacts = Files.list(repository.resolve("dev/servesim"))) {
            assertThat(artifacts.map(artifact -> artifact.getFileName().toString())).containsExactlyInAnyOrder(
                    "servesim-plugin-parent", "servesim-api", "servesim-testing", "servesim-core", "servesim-runner",
                    "servesim-report", "servesim-engine-common", "servesim-engine-vllm", "servesim-cache-strategies",
                    "servesim-workload", "servesim-routers");
        }
        try (Stream<Path> files = Files.walk(repository.resolve("dev/servesim"))) {
            List<Path> origins = files.filter(file -> file.getFileName().toString().equals("_remote.repositories"))
                    .toList();
            assertThat(origins).hasSize(11);
            for (Path origin : origins) {
                assertThat(Files.readString(origin)).as(origin.toString()).contains(">servesim-sdk=");
            }
        }

        assertThat(servesim(home, "plugins", "plugins")).isZero();
        String listing = Files.readString(home.resolve("plugins.out"));
        for (String kind : BUILT) {
            assertThat(listing).contains("my-" + kind + "-0.1.0-SNAPSHOT.jar (plugins folder)");
        }
        assertThat(listing).doesNotContain("Skipped");

        for (String kind : BUILT) {
            Path project = projects.resolve("my-" + kind);
            assertThat(servesim(project, "run", "run", "my-" + kind + ".yaml", "--out", "results", "--quiet"))
                    .as(PackagedDistribution.log(project, "run")).isZero();
            assertThat(Files.readString(project.resolve("results/summary.json"))).containsPattern(
                    "\"completed\" : [1-9]");
        }
        // the engine's first token comes token_latency (0.02 s) after arrival whatever the load, up to the rounding
        // of arrival + 0.02 - arrival in doubles
        assertThat(Files.readString(projects.resolve("my-engine/results/summary.json")))
                .containsPattern("\"ttft\" : \\{[^}]*\"max\" : (19\\.99999|20\\.0)");
        assertThat(Files.readString(projects.resolve("my-workload/results/summary.json")))
                .contains("\"arrived\" : 100");
        assertThat(Files.readString(projects.resolve("my-sink/results/request-counts.txt")))
                .matches("completed [1-9]\\d*\nrejected 0\nunfinished 0\n");
    }
}
