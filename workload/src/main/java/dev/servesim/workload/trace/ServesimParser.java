package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * The project's own JSON lines (docs/trace-format.md): a meta line {@code {"servesim_trace": 1, "block_size": N}},
 * then one object per request with {@code arrival}, {@code prompt_tokens}, {@code output_tokens} and optionally
 * {@code block_hashes} (full blocks only), {@code session_id}, {@code turn}, {@code priority}, {@code profile} and the
 * measured {@code e2e}. Other fields (the measurements of a dump) are ignored.
 */
final class ServesimParser implements LineParser {

    /** The format version this reader understands. */
    static final int VERSION = 1;

    private final JsonFactory factory;
    private final int blockSize;
    private long[] buffer = new long[256];
    private final int[] count = new int[1];

    private ServesimParser(JsonFactory factory, int blockSize) {
        this.factory = factory;
        this.blockSize = blockSize;
    }

    /** A parser for the file whose meta line is {@code metaLine}. */
    static ServesimParser fromMeta(JsonFactory factory, String metaLine) throws BadLineException {
        long version = -1;
        long blockSize = -1;
        try (JsonParser parser = factory.createParser(metaLine)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadLineException("(line)", "expected the meta object {\"servesim_trace\": 1, "
                        + "\"block_size\": N}");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "servesim_trace" -> version = JsonValues.integer(parser, name);
                    case "block_size" -> blockSize = JsonValues.integer(parser, name);
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw JsonValues.unparsable(e);
        }
        if (version != VERSION) {
            throw new BadLineException("servesim_trace", version < 0 ? "is missing from the meta line"
                    : "version " + version + " is not supported; this reader reads version " + VERSION);
        }
        if (blockSize < 1 || blockSize > Integer.MAX_VALUE) {
            throw new BadLineException("block_size", blockSize < 0 ? "is missing from the meta line"
                    : "must be positive, got " + blockSize);
        }
        return new ServesimParser(factory, (int) blockSize);
    }

    @Override
    public String timeField() {
        return "arrival";
    }

    @Override
    public TraceEntry parse(String line, long lineNumber) throws BadLineException {
        double arrival = Double.NaN;
        long prompt = -1;
        long output = -1;
        long[] hashes = null;
        long session = -1;
        long turn = 0;
        long priority = 0;
        String profile = "";
        double e2e = Double.NaN;
        try (JsonParser parser = factory.createParser(line)) {
            JsonValues.startObject(parser);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "arrival" -> arrival = LineParser.checkTime(name, JsonValues.number(parser, name));
                    case "prompt_tokens" -> prompt = LineParser.checkCount(name, JsonValues.integer(parser, name));
                    case "output_tokens" -> output = LineParser.checkCount(name, JsonValues.integer(parser, name));
                    case "block_hashes" -> {
                        buffer = JsonValues.integers(parser, name, buffer, count);
                        hashes = Arrays.copyOf(buffer, count[0]);
                    }
                    case "session_id" -> session = JsonValues.integer(parser, name);
                    case "turn" -> {
                        turn = JsonValues.integer(parser, name);
                        if (turn < 1 || turn > Integer.MAX_VALUE) {
                            throw new BadLineException(name, "must be at least 1, got " + turn);
                        }
                    }
                    case "priority" -> priority = JsonValues.integer(parser, name);
                    case "profile" -> profile = JsonValues.text(parser, name);
                    case "e2e" -> e2e = value == JsonToken.VALUE_NULL ? Double.NaN
                            : LineParser.checkTime(name, JsonValues.number(parser, name));
                    default -> parser.skipChildren();
                }
            }
            JsonValues.endOfLine(parser);
        } catch (IOException e) {
            throw JsonValues.unparsable(e);
        }
        if (Double.isNaN(arrival)) {
            throw new BadLineException("arrival", "is missing");
        }
        if (prompt < 0) {
            throw new BadLineException("prompt_tokens", "is missing");
        }
        if (output < 0) {
            throw new BadLineException("output_tokens", "is missing");
        }
        if (hashes == null) {
            hashes = TraceEntry.NO_HASHES;
        }
        if (hashes.length > prompt / blockSize) {
            throw new BadLineException("block_hashes", "has " + hashes.length + " hashes, but prompt_tokens " + prompt
                    + " has only " + prompt / blockSize + " full blocks of " + blockSize + " tokens");
        }
        if (priority < Integer.MIN_VALUE || priority > Integer.MAX_VALUE) {
            throw new BadLineException("priority", "out of range: " + priority);
        }
        return new TraceEntry(lineNumber, arrival, (int) prompt, (int) output, hashes,
                hashes.length == 0 ? 0 : blockSize, session, (int) turn, (int) priority, profile, e2e);
    }
}
