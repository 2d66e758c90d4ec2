package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * vllm-vcr trace JSON lines (neuralmagic/vllm-vcr v0.2, its trace format): an optional first line
 * {@code {"meta": {...}}} whose {@code block_size} (default 16) is the tokens per block of every {@code block_hashes}
 * list, then one completed request per line, in finish order: {@code arrival_ms} (ms since the capture started),
 * {@code prompt_tokens}, {@code output_tokens}, {@code block_hashes} (unsigned 64-bit, full blocks only),
 * {@code ttft_ms}, {@code itl_ms} or {@code itl_summary} {@code {mean_ms, count}}, and {@code finish_reason}. Other
 * fields ({@code cached_tokens}, {@code concurrency}, {@code itl_tokens}, {@code itl_ctx}, {@code mm_hashes},
 * {@code output_token_ids}) are ignored. The recorded end-to-end latency, TTFT plus the inter-token gaps, gives the
 * think gaps of a session-paced replay.
 */
final class VcrParser implements LineParser {

    /** vllm-vcr's default block size when the meta line has none, or there is no meta line. */
    static final int DEFAULT_BLOCK_SIZE = 16;

    private final JsonFactory factory;
    private final int blockSize;
    private final boolean meta;
    private long[] buffer = new long[256];
    private final int[] count = new int[1];

    private VcrParser(JsonFactory factory, int blockSize, boolean meta) {
        this.factory = factory;
        this.blockSize = blockSize;
        this.meta = meta;
    }

    /** A parser for the file whose first line is {@code first}: the meta line, or already a request. */
    static VcrParser fromFirstLine(JsonFactory factory, String first) throws BadLineException {
        long blockSize = DEFAULT_BLOCK_SIZE;
        try (JsonParser parser = factory.createParser(first)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME
                    || !parser.currentName().equals("meta")) {
                return new VcrParser(factory, DEFAULT_BLOCK_SIZE, false);
            }
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadLineException("meta", "expected an object, got " + JsonValues.describe(parser));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("block_size")) {
                    blockSize = JsonValues.integer(parser, "meta.block_size");
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw JsonValues.unparsable(e);
        }
        if (blockSize < 1 || blockSize > TraceLines.MAX_LINE_BYTES) {
            throw new BadLineException("meta.block_size", "must be from 1 to " + TraceLines.MAX_LINE_BYTES + ", got "
                    + blockSize);
        }
        return new VcrParser(factory, (int) blockSize, true);
    }

    /** Whether the first line was the meta line (else it is the first request). */
    boolean meta() {
        return meta;
    }

    @Override
    public String timeField() {
        return "arrival_ms";
    }

    @Override
    public TraceEntry parse(String line, long lineNumber) throws BadLineException {
        double arrivalMs = Double.NaN;
        long prompt = -1;
        long output = -1;
        long[] hashes = TraceEntry.NO_HASHES;
        double ttftMs = Double.NaN;
        double itlMs = 0;
        try (JsonParser parser = factory.createParser(line)) {
            JsonValues.startObject(parser);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "arrival_ms" -> arrivalMs = LineParser.checkTime(name, JsonValues.number(parser, name));
                    case "prompt_tokens" -> prompt = LineParser.checkCount(name, JsonValues.integer(parser, name));
                    case "output_tokens" -> output = LineParser.checkCount(name, JsonValues.integer(parser, name));
                    case "ttft_ms" -> ttftMs = LineParser.checkTime(name, JsonValues.number(parser, name));
                    case "itl_ms" -> itlMs = JsonValues.sum(parser, name, count);
                    case "itl_summary" -> itlMs = summary(parser);
                    case "block_hashes" -> {
                        buffer = JsonValues.unsignedIntegers(parser, name, buffer, count);
                        hashes = Arrays.copyOf(buffer, count[0]);
                    }
                    case "finish_reason" -> JsonValues.text(parser, name);
                    case "meta" -> throw new BadLineException(name, "only the first line may be the meta line");
                    default -> parser.skipChildren();
                }
            }
            JsonValues.endOfLine(parser);
        } catch (IOException e) {
            throw JsonValues.unparsable(e);
        }
        if (Double.isNaN(arrivalMs)) {
            throw new BadLineException("arrival_ms", "is missing");
        }
        if (prompt < 0) {
            throw new BadLineException("prompt_tokens", "is missing");
        }
        if (output < 0) {
            throw new BadLineException("output_tokens", "is missing");
        }
        if (hashes.length > prompt / blockSize) {
            throw new BadLineException("block_hashes", "has " + hashes.length + " hashes, but prompt_tokens " + prompt
                    + " has only " + prompt / blockSize + " full blocks of " + blockSize + " tokens");
        }
        // as vllm-vcr's session replay: the recorded finish is arrival + TTFT + the sum of the inter-token gaps
        double e2e = Double.isNaN(ttftMs) ? Double.NaN : (ttftMs + itlMs) / 1000.0;
        return new TraceEntry(lineNumber, arrivalMs / 1000.0, (int) prompt, (int) output, hashes,
                hashes.length == 0 ? 0 : blockSize, -1, 0, 0, "", e2e);
    }

    /** {@code itl_summary}: {@code {mean_ms, count}}, when per-gap data is unknown (guidellm); their product. */
    private static double summary(JsonParser parser) throws IOException, BadLineException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new BadLineException("itl_summary", "expected an object {mean_ms, count}, got "
                    + JsonValues.describe(parser));
        }
        double mean = Double.NaN;
        long gaps = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "mean_ms" -> mean = LineParser.checkTime("itl_summary.mean_ms",
                        JsonValues.number(parser, "itl_summary.mean_ms"));
                case "count" -> gaps = LineParser.checkCount("itl_summary.count",
                        JsonValues.integer(parser, "itl_summary.count"));
                default -> parser.skipChildren();
            }
        }
        if (Double.isNaN(mean) || gaps < 0) {
            throw new BadLineException("itl_summary", "needs mean_ms and count");
        }
        return mean * gaps;
    }
}
