package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Typed reads of the current JSON value, failing with the field's name. */
final class JsonValues {

    private static final Pattern START_MARKER = Pattern.compile("\\(start marker at \\[[^\\]]*column: (\\d+)\\]\\)");
    private static final Pattern LIBRARY_HINT = Pattern.compile(": enable `[^`]*` to allow|, from `[^`]*`");

    /** Longest string of a trace that is one JSON document (a ShareGPT message): 4 Mi characters. */
    static final int MAX_DOCUMENT_STRING_CHARS = 1 << 22;

    /** Deepest nesting of a trace that is one JSON document. */
    static final int MAX_DOCUMENT_DEPTH = 64;

    private JsonValues() {}

    /**
     * A factory for traces that are one JSON document, read with a streaming parser: strings and nesting are bounded,
     * so a hostile file cannot exhaust the memory, and Python's {@code Infinity} and {@code NaN} (which
     * {@code json.dump} writes for float('inf')) are read as numbers, for the callers to check.
     */
    static JsonFactory documentFactory() {
        return JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_DOCUMENT_STRING_CHARS)
                        .maxNestingDepth(MAX_DOCUMENT_DEPTH)
                        .build())
                .build();
    }

    /** A document that is not valid JSON (any more): fatal, on the line where the parser found it. */
    static BadLineException invalid(JsonProcessingException e, JsonParser parser) {
        long line = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation().getLineNr()
                : line(parser);
        return new BadLineException("(json)", "not valid JSON: " + problem(e), line, true);
    }

    /** The line of the parser's current token (1-based). */
    static long line(JsonParser parser) {
        return Math.max(1, parser.currentTokenLocation().getLineNr());
    }

    /**
     * The parser's message for a line that is not valid JSON, without the library's hints: where the source is and
     * which of its features would accept the line ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`").
     */
    static String problem(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "cannot parse" : e.getOriginalMessage();
        message = START_MARKER.matcher(message).replaceAll("(opened at column $1)");
        return LIBRARY_HINT.matcher(message).replaceAll("");
    }

    /** Moves to the line's opening brace: a line that is not a JSON object is not a record. */
    static void startObject(JsonParser parser) throws IOException, BadLineException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new BadLineException("(line)", "expected a JSON object");
        }
    }

    /** After the record's closing brace, nothing may follow on the line. */
    static void endOfLine(JsonParser parser) throws IOException, BadLineException {
        if (parser.nextToken() != null) {
            throw new BadLineException("(line)", "text after the JSON object");
        }
    }

    /** The parser's failure on a line, as the bad line it means. */
    static BadLineException unparsable(IOException e) {
        return e instanceof JsonProcessingException json
                ? new BadLineException("(json)", "not valid JSON: " + problem(json))
                : new BadLineException("(json)", "cannot parse: " + e.getMessage());
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

    /**
     * Reads an array of unsigned 64-bit integers (0 to 2^64 - 1) as {@link #integers} does; values above 2^63 - 1 keep
     * their 64 bits in a (negative) {@code long}, as {@link Long#parseUnsignedLong} gives them.
     */
    static long[] unsignedIntegers(JsonParser parser, String field, long[] buffer, int[] count)
            throws IOException, BadLineException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new BadLineException(field, "expected an array of unsigned 64-bit integers, got " + describe(parser));
        }
        long[] values = buffer;
        int n = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT) {
                throw new BadLineException(field, "element " + n + ": expected an unsigned 64-bit integer, got "
                        + describe(parser));
            }
            long value;
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger big = parser.getBigIntegerValue();
                if (big.signum() < 0 || big.bitLength() > 64) {
                    throw new BadLineException(field, "element " + n + ": not an unsigned 64-bit integer: "
                            + LineParser.shown(parser.getText()));
                }
                value = big.longValue();
            } else {
                value = parser.getLongValue();
                if (value < 0) {
                    throw new BadLineException(field, "element " + n + ": not an unsigned 64-bit integer: " + value);
                }
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = value;
        }
        count[0] = n;
        return values;
    }

    /** The sum of an array of numbers of at least 0 (milliseconds, say), and their count in {@code count[0]}. */
    static double sum(JsonParser parser, String field, int[] count) throws IOException, BadLineException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new BadLineException(field, "expected an array of numbers, got " + describe(parser));
        }
        double sum = 0;
        int n = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new BadLineException(field, "element " + n + ": expected a number, got " + describe(parser));
            }
            double value = parser.getDoubleValue();
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new BadLineException(field, "element " + n + ": must be a finite number of at least 0, got "
                        + value);
            }
            sum += value;
            n++;
        }
        count[0] = n;
        return sum;
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
