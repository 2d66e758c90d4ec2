package dev.servesim.workload.trace;

/** Parses the request lines of one trace format (the header or meta line is read when the parser is made). */
interface LineParser {

    /** The entry of one non-blank line. */
    TraceEntry parse(String line, long lineNumber) throws BadLineException;

    /** Parses a decimal integer field that must be zero or positive. */
    static int count(String field, String text) throws BadLineException {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadLineException(field, "expected an integer, got '" + text + "'");
        }
        return checkCount(field, value);
    }

    /** Checks a token count: zero or positive, at most {@link Integer#MAX_VALUE}. */
    static int checkCount(String field, long value) throws BadLineException {
        if (value < 0) {
            throw new BadLineException(field, "must not be negative, got " + value);
        }
        if (value > Integer.MAX_VALUE) {
            throw new BadLineException(field, "is too large: " + value);
        }
        return (int) value;
    }

    /** Checks a time in seconds: finite, zero or positive. */
    static double checkTime(String field, double seconds) throws BadLineException {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new BadLineException(field, "must be a finite time of at least 0, got " + seconds);
        }
        return seconds;
    }
}
