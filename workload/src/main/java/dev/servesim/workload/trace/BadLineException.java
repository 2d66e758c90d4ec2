package dev.servesim.workload.trace;

/** A line of a trace that cannot be read: names the field and the problem. Never leaves the trace package. */
final class BadLineException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    BadLineException(String field, String problem) {
        super(problem, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
