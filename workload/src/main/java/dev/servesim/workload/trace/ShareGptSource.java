package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * ShareGPT conversations (the ShareGPT_V3 JSON that vLLM's benchmarks sample prompts from): one JSON array of
 * {@code {"id": ..., "conversations": [{"from": "human", "value": "..."}, {"from": "gpt", "value": "..."}, ...]}},
 * read with a streaming parser, one conversation at a time, so the file is never held. Each conversation is a
 * session: every reply that follows a human message is one turn, whose prompt is everything said before the reply and
 * whose output is the reply ({@link ShareGptTurns}). Conversations arrive one per second of trace time on average, as
 * a Poisson process drawn from the run's random stream ({@link DrawnArrivals}); {@code speedup} sets the rate, and
 * every turn of a conversation carries its arrival, so with {@code replay_sessions} each turn follows the previous
 * one's end. A conversation that breaks a rule (an unknown speaker, a value that is not text) is a malformed line,
 * located on the line it starts; a file that is not valid JSON stops the run.
 */
final class ShareGptSource implements EntrySource {

    private final TraceLines lines;
    private final JsonParser json;
    private final DrawnArrivals arrivals;
    private final ShareGptTurns turns = new ShareGptTurns();
    private final ArrayDeque<TraceEntry> pending = new ArrayDeque<>();
    private long conversations;
    private boolean ended;

    ShareGptSource(Path file, TraceLines lines, Supplier<RandomGenerator> streams) throws BadLineException {
        this.lines = lines;
        this.arrivals = new DrawnArrivals(streams, 1, 1);
        JsonParser parser = null;
        try {
            parser = JsonValues.documentFactory().createParser(lines.rest());
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new BadLineException("(json)", "expected a JSON array of conversations, got "
                        + JsonValues.describe(parser), JsonValues.line(parser), true);
            }
        } catch (JsonProcessingException e) {
            closeQuietly(parser);
            throw JsonValues.invalid(e, parser);
        } catch (IOException e) {
            closeQuietly(parser);
            throw TraceReader.readFailure(file, lines.gzip(), parser == null ? 0 : JsonValues.line(parser), e);
        } catch (BadLineException e) {
            closeQuietly(parser);
            throw e;
        }
        this.json = parser;
    }

    @Override
    public TraceEntry next() throws IOException, BadLineException {
        while (pending.isEmpty()) {
            if (ended) {
                return null;
            }
            try {
                readConversation();
            } catch (JsonProcessingException e) {
                ended = true;
                throw JsonValues.invalid(e, json);
            }
        }
        return pending.poll();
    }

    private void readConversation() throws IOException, BadLineException {
        JsonToken token = json.nextToken();
        if (token == JsonToken.END_ARRAY) {
            ended = true;
            if (json.nextToken() != null) {
                throw new BadLineException("(json)", "text after the JSON array", JsonValues.line(json), true);
            }
            return;
        }
        long index = conversations++;
        long line = JsonValues.line(json);
        if (token != JsonToken.START_OBJECT) {
            String got = JsonValues.describe(json);
            json.skipChildren();
            throw new BadLineException("[" + index + "]", "expected a conversation object, got " + got, line, false);
        }
        turns.read(json, index);
        if (turns.fault() != null) {
            throw new BadLineException(turns.faultField(), turns.fault(), turns.faultLine(), false);
        }
        if (turns.count() == 0) {
            return;
        }
        double time = arrivals.next();
        for (int k = 0; k < turns.count(); k++) {
            pending.add(new TraceEntry(line, time, turns.prompt(k), turns.output(k), turns.hashes(k),
                    ShareGptTurns.BLOCK_SIZE, index, k + 1, 0, "", Double.NaN));
        }
    }

    @Override
    public String timeField() {
        return "(arrival)";
    }

    @Override
    public long lineNumber() {
        return JsonValues.line(json);
    }

    @Override
    public boolean gzip() {
        return lines.gzip();
    }

    @Override
    public void close() throws IOException {
        json.close();
        lines.close();
    }

    private void closeQuietly(JsonParser parser) {
        try {
            if (parser != null) {
                parser.close();
            }
            lines.close();
        } catch (IOException e) {
            // nothing was written; a failed close of a reader loses nothing
        }
    }
}
