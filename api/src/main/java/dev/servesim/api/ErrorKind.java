package dev.servesim.api;

/** Category of a {@link ServesimException}; the command line maps it to an exit code. */
public enum ErrorKind {
    /** Bad configuration or input data: the user can fix it (exit code 2). */
    CONFIG,
    /** A plugin could not be loaded or misbehaved (exit code 1). */
    PLUGIN,
    /** A simulation invariant was violated: a bug (exit code 1). */
    INVARIANT,
    /** Reading or writing a file failed (exit code 1). */
    IO,
    /** The run needed more memory than the JVM may use (exit code 1; since API 0.3). */
    RESOURCE
}
