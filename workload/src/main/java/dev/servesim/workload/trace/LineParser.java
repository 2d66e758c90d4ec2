package dev.servesim.workload.trace;

/** Parses the request lines of one trace format (the header or meta line is read when the parser is made). */
interface LineParser {

    /** The entry of one non-blank line. */
    TraceEntry parse(String line, long lineNumber) throws BadLineException;

    /** Name of the field that holds the arrival time, as the format writes it. */
    String timeField();

    /** {@code text} quoted from a line for a message: at most 60 characters, control characters escaped. */
    static String shown(String text) {
        return shown(text, 60);
    }

    /** {@code text} for a message: at most {@code max} characters and "...", control characters escaped. */
    static String shown(String text, int max) {
        StringBuilder shown = new StringBuilder(Math.min(text.length(), max) + 3);
        for (int i = 0; i < text.length(); i++) {
            if (shown.length() >= max) {
                return shown.append("...").toString();
            }
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                shown.append(String.format("\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return shown.toString();
    }

    /** Parses a decimal integer field that must be zero or positive. */
    static int count(String field, String text) throws BadLineException {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadLineException(field, "expected an integer, got '" + shown(text) + "'");
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
