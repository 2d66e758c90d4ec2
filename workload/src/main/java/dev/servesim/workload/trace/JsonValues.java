package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Typed reads of the current JSON value, failing with the field's name. */
final class JsonValues {

    private static final Pattern START_MARKER = Pattern.compile("\\(start marker at \\[[^\\]]*column: (\\d+)\\]\\)");
    private static final Pattern LIBRARY_HINT = Pattern.compile(": enable `[^`]*` to allow|, from `[^`]*`");

    private JsonValues() {}

    /**
     * The parser's message for a line that is not valid JSON, without the library's hints: where the source is and
     * which of its features would accept the line ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`").
     */
    static String problem(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "cannot parse" : e.getOriginalMessage();
        message = START_MARKER.matcher(message).replaceAll("(opened at column $1)");
        return LIBRARY_HINT.matcher(message).replaceAll("");
    }

    static double number(JsonParser parser, String field) throws IOException, BadLineException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new BadLineException(field, "expected a number, got " + describe(parser));
        }
        return parser.getDoubleValue();
    }

    static long integer(JsonParser parser, String field) throws IOException, BadLineException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new BadLineException(field, "expected an integer, got " + describe(parser));
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new BadLineException(field, "integer out of range: " + LineParser.shown(parser.getText()));
        }
        return parser.getLongValue();
    }

    static String text(JsonParser parser, String field) throws IOException, BadLineException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw new BadLineException(field, "expected a string, got " + describe(parser));
        }
        return parser.getText();
    }

    /**
     * Reads an array of integers into {@code buffer} (grown as needed; the caller keeps the returned array as its new
     * buffer) and returns the count in {@code count[0]}.
     */
    static long[] integers(JsonParser parser, String field, long[] buffer, int[] count)
            throws IOException, BadLineException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new BadLineException(field, "expected an array of integers, got " + describe(parser));
        }
        long[] values = buffer;
        int n = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new BadLineException(field, "element " + n + ": expected an integer, got " + describe(parser));
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = parser.getLongValue();
        }
        count[0] = n;
        return values;
    }

    static String describe(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "the string \"" + LineParser.shown(parser.getText()) + "\"";
            default -> "'" + LineParser.shown(parser.getText()) + "'";
        };
    }
}
