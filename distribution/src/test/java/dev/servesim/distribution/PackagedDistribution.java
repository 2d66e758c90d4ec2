package dev.servesim.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The distribution zip unpacked as a user would, and {@code bin/servesim} started as a separate process. */
final class PackagedDistribution {

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private PackagedDistribution() {}

    /** Unzips the build's distribution into {@code home} and returns its root folder. */
    static Path unzip(Path home) throws IOException {
        Path zip = Path.of(System.getProperty("servesim.zip"));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = home.resolve(entry.getName()).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("zip entry outside the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        Path root = home.resolve("servesim-" + System.getProperty("servesim.version"));
        // java.util.zip does not restore file modes; unzip(1) would
        Files.setPosixFilePermissions(root.resolve("bin/servesim"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    /**
     * Starts {@code command} in {@code work} with this JVM's Java, its output in {@code name.out} and {@code name.err}
     * there.
     */
    static Process start(Path work, String name, List<String> command) throws IOException {
        return start(work, work, name, command);
    }

    /** As {@link #start(Path, String, List)}, with the output files in {@code logs} instead. */
    static Process start(Path work, Path logs, String name, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(work.toFile());
        String javaHome = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent()
                .toString();
        builder.environment().put("JAVA_HOME", javaHome);
        builder.redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile());
        return builder.start();
    }

    /**
     * Waits until {@code condition} holds, at most {@code timeout}; between checks it waits for {@code process} to
     * end, which also fails fast if it does. A check that throws an IOException (a server not listening yet) counts
     * as not yet.
     */
    static void await(Process process, Path work, String name, String what, Duration timeout, Condition condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; " + name + ": " + log(work, name));
            }
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " ended with exit code " + process.exitValue() + " while waiting for "
                        + what + ": " + log(work, name));
            }
        }
    }

    private static boolean holds(Condition condition) throws Exception {
        try {
            return condition.holds();
        } catch (IOException e) {
            return false;
        }
    }

    /** Ends {@code process} with SIGTERM (forcibly if it does not end within 30 s) and returns its exit code. */
    static int stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** What {@code name} printed so far, both streams. */
    static String log(Path work, String name) {
        try {
            return Files.readString(work.resolve(name + ".out")) + Files.readString(work.resolve(name + ".err"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
