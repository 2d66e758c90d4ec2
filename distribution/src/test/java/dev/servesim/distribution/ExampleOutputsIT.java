package dev.servesim.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example and the fidelity suite give byte-identical outputs from one build to the next, unless a change means
 * them to differ: the packaged launcher runs each of them from the project root, as a user would, and the SHA-256 of
 * every output file (wall-clock fields zeroed) must equal the digests recorded in {@code example-outputs.sha256}.
 *
 * <p>A change that is meant to change results records new digests with
 * {@code mvn verify -pl distribution -am -Dservesim.record-outputs=true} (the file is rewritten in the sources) and says
 * why in its commit; a refactoring must pass unchanged.
 */
class ExampleOutputsIT {

    private static final Path RECORDED = Path.of("src/test/resources/example-outputs.sha256");
    // the only fields that depend on the machine: wall-clock time and speed
    // (report.html embeds the summary as an escaped JSON string: \"wall_seconds\":0.16)
    private static final Pattern WALL_CLOCK = Pattern.compile(
            "(\\\\?\"(?:wall_seconds|simulated_over_wall)\\\\?\"\\s*:\\s*)[-0-9.eE+]+");
    // run-specific, not results: the port a prometheus sink was given
    private static final List<String> NOT_COMPARED = List.of("prometheus.address");

    @TempDir
    static Path home;

    static Path servesim;

    @BeforeAll
    static void unzip() throws IOException {
        servesim = PackagedDistribution.unzip(home).resolve("bin/servesim");
    }

    @Test
    void everyExampleAndTheFidelitySuiteGiveTheRecordedOutputs() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("../shared/traces")),
                "../shared (traces and calibration runs) is absent: the example outputs cannot be compared");
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("servesim.plugin.jar")), plugins.resolve("fixed-latency.jar"));
        Path out = Files.createDirectories(home.resolve("outputs"));
        TreeMap<String, String> digests = new TreeMap<>();
        List<Path> examples;
        try (Stream<Path> files = Files.list(root.resolve("examples"))) {
            examples = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
        // two processes at a time (each is one JVM, mostly single-threaded), collected in order
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (Path example : examples) {
            String name = example.getFileName().toString().replace(".yaml", "");
            // paths as a user in the project root writes them: they appear in the outputs
            List<String> command = new ArrayList<>(List.of(servesim.toString(), "run", "examples/" + name + ".yaml",
                    "--out", out.resolve(name).toString(), "--quiet", "--plugins", plugins.toString()));
            if (name.equals("prometheus")) {
                // the demo's fixed port may be taken here; the port is not a result
                command.addAll(List.of("--set", "sinks=[json, csv, {name: prometheus, port: 0}]"));
            }
            commands.put(name, command);
        }
        // the sglang engine's side of its comparison, so that a change of its behaviour shows here too
        commands.put("vllm-vs-sglang_sglang", List.of(servesim.toString(), "run", "examples/vllm-vs-sglang.yaml",
                "--set", "framework.name=sglang", "--out", out.resolve("vllm-vs-sglang_sglang").toString(), "--quiet",
                "--plugins", plugins.toString()));
        commands.put("fidelity", List.of(servesim.toString(), "fidelity", "--runs", "../shared/calibration/runs.csv",
                "--seeds", "1", "--out", out.resolve("fidelity").toString()));
        runAll(root, commands, 2);
        for (String name : commands.keySet()) {
            digests.putAll(digests(out.resolve(name), name.equals("fidelity") ? "fidelity --seeds 1"
                    : name.endsWith("_sglang") ? "examples/" + name.replace("_sglang", ".yaml") + " sglang"
                    : "examples/" + name + ".yaml"));
        }

        StringBuilder text = new StringBuilder("# SHA-256 of every output file of every example and of the fidelity "
                + "suite (wall-clock fields zeroed); see ExampleOutputsIT\n");
        digests.forEach((file, digest) -> text.append(digest).append("  ").append(file).append('\n'));
        if (Boolean.getBoolean("servesim.record-outputs")) {
            Files.createDirectories(RECORDED.getParent());
            Files.writeString(RECORDED, text.toString());
        }
        assertThat(RECORDED).as("recorded digests; record them with -Dservesim.record-outputs=true").exists();
        assertThat(text.toString()).as("outputs changed; if meant to, record them with "
                + "-Dservesim.record-outputs=true and say why in the commit").isEqualTo(Files.readString(RECORDED));
    }

    /** Runs every command, at most {@code parallel} at a time, and checks that each one exits with 0. */
    private static void runAll(Path root, Map<String, List<String>> commands, int parallel) throws Exception {
        Deque<Map.Entry<String, Process>> running = new ArrayDeque<>();
        try {
            for (Map.Entry<String, List<String>> command : commands.entrySet()) {
                if (running.size() == parallel) {
                    awaitSuccess(running.removeFirst());
                }
                running.addLast(Map.entry(command.getKey(),
                        PackagedDistribution.start(root, home, command.getKey(), command.getValue())));
            }
            while (!running.isEmpty()) {
                awaitSuccess(running.removeFirst());
            }
        } finally {
            running.forEach(entry -> entry.getValue().destroyForcibly());
        }
    }

    private static void awaitSuccess(Map.Entry<String, Process> started) throws Exception {
        String name = started.getKey();
        Process process = started.getValue();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not end");
        }
        assertThat(process.exitValue()).as(name + ": " + PackagedDistribution.log(home, name)).isZero();
    }

    private static TreeMap<String, String> digests(Path folder, String label) throws Exception {
        TreeMap<String, String> digests = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            if (NOT_COMPARED.contains(fileName)) {
                continue;
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (fileName.endsWith(".json") || fileName.endsWith(".html")) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                String normalised = WALL_CLOCK.matcher(text).replaceAll(match -> match.group(1) + "0");
                sha.update(normalised.getBytes(StandardCharsets.UTF_8));
            } else {
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            digests.put(label + " " + fileName, HexFormat.of().formatHex(sha.digest()));
        }
        return digests;
    }
}
