package dev.servesim.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SortedMap;

/** Writes {@code metrics-delta.json}: the target, the seconds between the two scrapes, and each series' delta. */
final class MetricsFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsFile() {}

    static void write(Path file, String target, double seconds, SortedMap<String, Double> deltas) {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", target);
        root.put("seconds", Math.round(seconds * 1000) / 1000.0);
        ObjectNode counters = root.putObject("counters");
        deltas.forEach((series, delta) -> {
            if (delta == Math.rint(delta) && Math.abs(delta) < 1e15) {
                counters.put(series, (long) (double) delta);
            } else {
                counters.put(series, delta);
            }
        });
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            JSON.writeValue(temporary.toFile(), root);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the failure below says what went wrong
            }
            throw new ServesimException(ErrorKind.IO, file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
