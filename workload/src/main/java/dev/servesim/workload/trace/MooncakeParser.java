package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * Mooncake (FAST'25) JSON lines: {@code timestamp} (ms from the trace start), {@code input_length},
 * {@code output_length} and {@code hash_ids}, prefix-chained ids of blocks of {@code blockSize} (512) tokens, the last
 * one partial; {@code len(hash_ids) == ceil(input_length / blockSize)}. Other fields are ignored, except two that
 * show a Qwen-Bailian-style trace, whose timestamps are seconds ({@link BailianParser}): a line with {@code chat_id}
 * or {@code parent_chat_id}, and a first request whose timestamp looks like Unix time in seconds (1e9 to 1e10: in
 * milliseconds, 11.6 to 116 days after the trace start), are errors rather than seconds read as milliseconds.
 */
final class MooncakeParser implements LineParser {

    private final JsonFactory factory;
    private final int blockSize;
    private long[] buffer = new long[256];
    private final int[] count = new int[1];
    private boolean first = true;

    MooncakeParser(JsonFactory factory, int blockSize) {
        this.factory = factory;
        this.blockSize = blockSize;
    }

    @Override
    public String timeField() {
        return "timestamp";
    }

    @Override
    public TraceEntry parse(String line, long lineNumber) throws BadLineException {
        double timestampMs = Double.NaN;
        long input = -1;
        long output = -1;
        long[] hashes = null;
        try (JsonParser parser = factory.createParser(line)) {
            JsonValues.startObject(parser);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "timestamp" -> timestampMs = JsonValues.number(parser, name);
                    case "input_length" -> input = LineParser.checkCount(name, JsonValues.integer(parser, name));
                    case "output_length" -> output = LineParser.checkCount(name, JsonValues.integer(parser, name));
                    case "hash_ids" -> {
                        buffer = JsonValues.integers(parser, name, buffer, count);
                        hashes = Arrays.copyOf(buffer, count[0]);
                    }
                    case "chat_id", "parent_chat_id" -> throw new BadLineException(name, "a Mooncake trace has no "
                            + name + ": this looks like a Qwen-Bailian-style trace, whose timestamps are seconds, not "
                            + "milliseconds; set format: bailian");
                    default -> parser.skipChildren();
                }
            }
            JsonValues.endOfLine(parser);
        } catch (IOException e) {
            throw JsonValues.unparsable(e);
        }
        if (Double.isNaN(timestampMs)) {
            throw new BadLineException("timestamp", "is missing");
        }
        if (input < 0) {
            throw new BadLineException("input_length", "is missing");
        }
        if (output < 0) {
            throw new BadLineException("output_length", "is missing");
        }
        if (hashes == null) {
            throw new BadLineException("hash_ids", "is missing");
        }
        long expected = (input + blockSize - 1) / blockSize;
        if (hashes.length != expected) {
            throw new BadLineException("hash_ids", "has " + hashes.length + " ids, but input_length " + input
                    + " needs ceil(" + input + " / " + blockSize + ") = " + expected);
        }
        if (first && timestampMs >= 1e9 && timestampMs < 1e10) {
            throw new BadLineException("timestamp", "the first request's timestamp " + timestampMs + " looks like Unix "
                    + "time in seconds, but Mooncake timestamps are milliseconds from the trace start; a trace that "
                    + "counts seconds is not a Mooncake trace (format bailian reads seconds)");
        }
        first = false;
        double time = LineParser.checkTime("timestamp", timestampMs / 1000.0);
        return new TraceEntry(lineNumber, time, (int) input, (int) output, hashes, blockSize, -1, 0, 0, "",
                Double.NaN);
    }
}
