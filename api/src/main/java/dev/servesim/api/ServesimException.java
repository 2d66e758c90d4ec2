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

    public ErrorKind kind() {
        return kind;
    }
}
