package dev.servesim.api;

import static java.util.Objects.requireNonNull;

/** The one unchecked exception of servesim, categorised by {@link ErrorKind}. */
public class ServesimException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public ServesimException(ErrorKind kind, String message) {
        super(requireNonNull(message, "message is null"));
        this.kind = requireNonNull(kind, "kind is null");
    }

    public ServesimException(ErrorKind kind, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    /** Shorthand for a configuration error about one key, e.g. {@code config("max_num_seqs", "must be positive")}. */
    public static ServesimException config(String key, String problem) {
        return new ServesimException(ErrorKind.CONFIG, key + ": " + problem);
    }

    /**
     * A user's input file that cannot be read, said plainly: a missing file, a folder, a file without read permission
     * or one that is not UTF-8 text is the user's to fix ({@link ErrorKind#CONFIG}); any other failure is
     * {@link ErrorKind#IO}. The message never shows a Java exception name.
     *
     * @param what what the file is, e.g. {@code "runs file"}
     */
    public static ServesimException unreadable(String what, java.nio.file.Path file, java.io.IOException error) {
        String reason;
        ErrorKind kind = ErrorKind.CONFIG;
        if (error instanceof java.nio.file.NoSuchFileException) {
            reason = "no such file";
        } else if (error instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        } else if (error instanceof java.nio.charset.CharacterCodingException) {
            reason = "not UTF-8 text";
        } else if (java.nio.file.Files.isDirectory(file)) {
            reason = "a folder, not a file";
        } else {
            kind = ErrorKind.IO;
            reason = error.getMessage() == null ? "read error" : error.getMessage();
        }
        return new ServesimException(kind, file + ": cannot read the " + what + ": " + reason, error);
    }

    public ErrorKind kind() {
        return kind;
    }
}
