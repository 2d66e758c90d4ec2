package dev.servesim.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's shared data (real traces and calibration runs) lives in {@code ../shared} next to the project root and
 * is never copied into the repository. Tests that need it call {@link #path}; where it is absent (a user's own
 * clone) the test is skipped with a message saying so. CI always has it.
 */
public final class SharedData {

    private SharedData() {}

    /** The project root: the nearest folder at or above the working directory that holds {@code .ci/run}. */
    public static Path projectRoot() {
        Path folder = Path.of("").toAbsolutePath();
        for (Path candidate = folder; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve(".ci/run")) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no project root (a folder with .ci/run) at or above " + folder);
    }

    /**
     * {@code ../shared/<relative>} as seen from the project root; skips the calling test if it does not exist.
     *
     * @param relative e.g. {@code traces/mooncake/conversation_trace.jsonl}
     */
    public static Path path(String relative) {
        Path shared = projectRoot().resolveSibling("shared");
        Path target = shared.resolve(relative);
        Assumptions.assumeTrue(Files.exists(target), () -> "skipped: " + target
                + " not found; the shared traces and calibration data sit in ../shared next to the project (CI has "
                + "them, a plain clone does not)");
        return target;
    }
}
