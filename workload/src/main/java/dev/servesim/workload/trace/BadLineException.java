package dev.servesim.workload.trace;

/**
 * A line of a trace that cannot be read: names the field and the problem, or only the problem when the whole line is
 * bad (not UTF-8, too long). Never leaves the trace package.
 */
final class BadLineException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the field, or {@code null} for the whole line
     * @param problem what is wrong, to follow the field's name (or "the line")
     */
    BadLineException(String field, String problem) {
        super(problem, null, false, false);
        this.field = field;
    }

    /** The field, or {@code null} if the whole line is bad. */
    String field() {
        return field;
    }
}
