package dev.servesim.report;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Writes compact JSON that is safe inside an HTML {@code <script>} element: {@code <}, {@code >} and {@code &} in
 * strings become {@code \u003c}-style escapes, so no text can close the element or open a comment.
 */
final class JsonWriter {
    // six significant digits: far below a pixel on any chart, and a third of the bytes of Double.toString
    private static final MathContext PRECISION = new MathContext(6);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder();
    private boolean afterValue;

    JsonWriter beginObject() {
        separate();
        out.append('{');
        afterValue = false;
        return this;
    }

    JsonWriter endObject() {
        out.append('}');
        afterValue = true;
        return this;
    }

    JsonWriter beginArray() {
        separate();
        out.append('[');
        afterValue = false;
        return this;
    }

    JsonWriter endArray() {
        out.append(']');
        afterValue = true;
        return this;
    }

    JsonWriter name(String name) {
        separate();
        appendString(name);
        out.append(':');
        afterValue = false;
        return this;
    }

    JsonWriter value(String value) {
        separate();
        appendString(value);
        afterValue = true;
        return this;
    }

    JsonWriter value(double value) {
        separate();
        out.append(number(value));
        afterValue = true;
        return this;
    }

    JsonWriter value(boolean value) {
        separate();
        out.append(value);
        afterValue = true;
        return this;
    }

    /** Writes the first {@code length} numbers as an array. */
    JsonWriter values(double[] values, int length) {
        beginArray();
        for (int i = 0; i < length; i++) {
            value(values[i]);
        }
        return endArray();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** JSON has no NaN: a missing number is {@code null}, which Chart.js draws as a gap. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(PRECISION).stripTrailingZeros().toString();
    }

    private void separate() {
        if (afterValue) {
            out.append(',');
        }
    }

    private void appendString(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
