package dev.servesim.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the small text files users hand to servesim (configurations, model and GPU descriptions, coefficient and runs
 * files) with a size limit, so that a wrong path (a disk image, {@code /dev/zero}) fails with one line instead of
 * exhausting memory. Errors are {@link ServesimException}s as {@link ServesimException#unreadable} describes.
 */
public final class InputFiles {

    private InputFiles() {}

    /**
     * The UTF-8 text of {@code file}.
     *
     * @param what what the file is, for messages, e.g. {@code "configuration"}
     * @param maxBytes the largest file accepted
     */
    public static String readText(Path file, String what, long maxBytes) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw ServesimException.unreadable(what, file, e);
        }
        if (bytes.length > maxBytes) {
            throw new ServesimException(ErrorKind.CONFIG, file + ": the " + what + " is larger than " + maxBytes
                    + " bytes; is this the right file?");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ServesimException.unreadable(what, file, e);
        }
    }
}
