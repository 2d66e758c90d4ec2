package dev.servesim.runner.sinks;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An output file written as a stream while the run goes: to a temporary file beside it, moved into place once
 * complete ({@link #finish}); a run that fails before abandons it ({@link #abandon}) and leaves no half-written file.
 */
final class StreamedFile {

    private final Path file;
    private final Path temporary;
    private BufferedWriter writer;

    StreamedFile(Path file) {
        this.file = file;
        this.temporary = OutputFiles.temporaryFor(file);
    }

    /** Opens the temporary file; the writer it returns is this file's until {@link #finish} or {@link #abandon}. */
    Writer open() {
        try {
            writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
            return writer;
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Closes the file and moves it into place. */
    void finish() {
        try {
            writer.close();
        } catch (IOException e) {
            throw cannotWrite(e);
        }
        writer = null;
        OutputFiles.moveIntoPlace(temporary, file);
    }

    /** Closes the file if open and deletes it, whatever state it is in. */
    void abandon() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                // the file is deleted below
            }
            writer = null;
        }
        OutputFiles.deleteQuietly(temporary);
    }

    /** The one-line error of a write to this file that failed. */
    ServesimException cannotWrite(IOException e) {
        return new ServesimException(ErrorKind.IO, "cannot write " + file + ": " + e.getMessage(), e);
    }
}
