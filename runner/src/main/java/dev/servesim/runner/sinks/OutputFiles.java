package dev.servesim.runner.sinks;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Output files appear whole or not at all: written beside the target, then moved into place. */
public final class OutputFiles {

    private OutputFiles() {}

    public static Path temporaryFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    public static void writeAtomically(Path target, String text) {
        Path temporary = temporaryFor(target);
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new ServesimException(ErrorKind.IO, "cannot write " + target + ": " + e.getMessage(), e);
        }
        moveIntoPlace(temporary, target);
    }

    public static void moveIntoPlace(Path temporary, Path target) {
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code path} if it exists; a file that cannot be deleted is left (nothing else can be done). */
    public static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left behind; the next run of the same name overwrites it
        }
    }
}
