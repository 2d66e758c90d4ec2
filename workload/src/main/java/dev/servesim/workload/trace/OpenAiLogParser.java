package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Logs of OpenAI-style API responses, one JSON object per line (the chat completion and completion objects of the
 * OpenAI API reference, as servers that mimic it log them): {@code created}, the Unix time in seconds the request was
 * created, and {@code usage} with {@code prompt_tokens} and {@code completion_tokens}. Other fields ({@code id},
 * {@code model}, {@code choices}, ...) are ignored. The trace time here is the Unix time; the source sorts the lines
 * and counts from the earliest ({@link SortedLineSource}). A {@code created} above 1e11 is milliseconds, not
 * seconds: an error, never rescaled.
 */
final class OpenAiLogParser implements LineParser {

    /** {@code created} above this (the year 5138 in seconds, March 1973 in milliseconds) is milliseconds. */
    static final double MAX_CREATED_SECONDS = 1e11;

    private final JsonFactory factory;

    OpenAiLogParser(JsonFactory factory) {
        this.factory = factory;
    }

    @Override
    public String timeField() {
        return "created";
    }

    @Override
    public TraceEntry parse(String line, long lineNumber) throws BadLineException {
        double created = Double.NaN;
        long prompt = -1;
        long completion = -1;
        boolean usage = false;
        try (JsonParser parser = factory.createParser(line)) {
            JsonValues.startObject(parser);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "created" -> created = LineParser.checkTime(name, JsonValues.number(parser, name));
                    case "usage" -> {
                        if (parser.currentToken() != JsonToken.START_OBJECT) {
                            throw new BadLineException(name, "expected an object {prompt_tokens, completion_tokens}, "
                                    + "got " + JsonValues.describe(parser));
                        }
                        usage = true;
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = parser.currentName();
                            parser.nextToken();
                            switch (inner) {
                                case "prompt_tokens" -> prompt = LineParser.checkCount("usage.prompt_tokens",
                                        JsonValues.integer(parser, "usage.prompt_tokens"));
                                case "completion_tokens" -> completion = LineParser.checkCount(
                                        "usage.completion_tokens",
                                        JsonValues.integer(parser, "usage.completion_tokens"));
                                default -> parser.skipChildren();
                            }
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            JsonValues.endOfLine(parser);
        } catch (IOException e) {
            throw JsonValues.unparsable(e);
        }
        if (Double.isNaN(created)) {
            throw new BadLineException("created", "is missing");
        }
        if (created > MAX_CREATED_SECONDS) {
            throw new BadLineException("created", created + " looks like Unix time in milliseconds; OpenAI's created "
                    + "is Unix time in seconds, and the reader does not rescale it");
        }
        if (!usage) {
            throw new BadLineException("usage", "is missing");
        }
        if (prompt < 0) {
            throw new BadLineException("usage.prompt_tokens", "is missing");
        }
        if (completion < 0) {
            throw new BadLineException("usage.completion_tokens", "is missing");
        }
        return new TraceEntry(lineNumber, created, (int) prompt, (int) completion, TraceEntry.NO_HASHES, 0, -1, 0, 0,
                "", Double.NaN);
    }
}
