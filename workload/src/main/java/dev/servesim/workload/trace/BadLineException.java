package dev.servesim.workload.trace;

/**
 * A line of a trace that cannot be read: names the field and the problem, or only the problem when the whole line is
 * bad (not UTF-8, too long). Never leaves the trace package.
 */
final class BadLineException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final long line;
    private final boolean fatal;

    /**
     * @param field the field, or {@code null} for the whole line
     * @param problem what is wrong, to follow the field's name (or "the line")
     */
    BadLineException(String field, String problem) {
        this(field, problem, -1, false);
    }

    /**
     * @param line the line it is on (1-based), or -1 if the caller knows it
     * @param fatal whether no line can be skipped to get past it (a JSON file that is not valid JSON any more)
     */
    BadLineException(String field, String problem, long line, boolean fatal) {
        super(problem, null, false, false);
        this.field = field;
        this.line = line;
        this.fatal = fatal;
    }

    /** The field, or {@code null} if the whole line is bad. */
    String field() {
        return field;
    }

    /** The line, or -1 if not known yet. */
    long line() {
        return line;
    }

    /** Whether {@code skip_bad_lines} cannot skip it. */
    boolean fatal() {
        return fatal;
    }

    /** This fault on {@code number}, unless it already names its line. */
    BadLineException located(long number) {
        return line >= 0 ? this : new BadLineException(field, getMessage(), number, fatal);
    }
}
