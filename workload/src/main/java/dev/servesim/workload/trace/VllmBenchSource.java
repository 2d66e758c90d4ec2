package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The result file of vLLM's benchmarks/benchmark_serving.py ({@code --save-result}; per-request lists need
 * {@code --save-detailed} in newer vLLM, which also writes it as {@code vllm bench serve}): one JSON object, of which
 * this reads {@code request_rate} (requests per second; {@code Infinity} or {@code "inf"} for all at once),
 * {@code burstiness} (default 1), {@code input_lens} and {@code output_lens} (one per request, in the order the
 * benchmark sent them). Other keys ({@code ttfts}, {@code itls}, {@code generated_texts}, {@code errors},
 * {@code duration}, ...) are skipped without being held. The recorded arrival times are not in the file: request i
 * arrives as the benchmark scheduled it ({@link DrawnArrivals}), drawn from the run's random stream. Failed requests
 * have an output length of 0; the source skips them. Every fault stops the run: the file is one record.
 */
final class VllmBenchSource implements EntrySource {

    /** Most requests of a result file: 16 Mi. */
    static final int MAX_REQUESTS = 1 << 24;

    private final TraceLines lines;
    private final int[] inputs;
    private final int[] outputs;
    private final long line;
    private final DrawnArrivals arrivals;
    private int next;

    private VllmBenchSource(TraceLines lines, int[] inputs, int[] outputs, long line, DrawnArrivals arrivals) {
        this.lines = lines;
        this.inputs = inputs;
        this.outputs = outputs;
        this.line = line;
        this.arrivals = arrivals;
    }

    /** Reads the whole result and closes {@code lines}. */
    static VllmBenchSource read(Path file, TraceLines lines, Supplier<RandomGenerator> streams)
            throws BadLineException {
        JsonFactory factory = JsonValues.documentFactory();
        double rate = Double.NaN;
        double burstiness = 1;
        int[] inputs = null;
        int[] outputs = null;
        long inputLine = 1;
        JsonParser parser = null;
        try (JsonParser json = factory.createParser(lines.rest())) {
            parser = json;
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw fatal(json, "(json)", "expected the JSON object of a benchmark_serving result");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                try {
                    switch (name) {
                        case "request_rate" -> rate = value == JsonToken.VALUE_STRING
                                && json.getText().equals("inf") ? Double.POSITIVE_INFINITY
                                : JsonValues.number(json, name);
                        case "burstiness" -> burstiness = value == JsonToken.VALUE_NULL ? 1
                                : JsonValues.number(json, name);
                        case "input_lens" -> {
                            inputLine = JsonValues.line(json);
                            inputs = lengths(json, name);
                        }
                        case "output_lens" -> outputs = lengths(json, name);
                        default -> json.skipChildren();
                    }
                } catch (BadLineException e) {
                    throw fatal(json, e.field(), e.getMessage());
                }
            }
            if (json.nextToken() != null) {
                throw fatal(json, "(json)", "text after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw JsonValues.invalid(e, parser);
        } catch (IOException e) {
            throw TraceReader.readFailure(file, lines.gzip(), parser == null ? 0 : JsonValues.line(parser), e);
        } finally {
            try {
                lines.close();
            } catch (IOException e) {
                // nothing was written; a failed close of a reader loses nothing
            }
        }
        if (Double.isNaN(rate)) {
            throw new BadLineException("request_rate", "is missing (or NaN): the arrivals need the recorded rate", 1,
                    true);
        }
        if (!(rate > 0)) {
            throw new BadLineException("request_rate", "must be positive, got " + rate, 1, true);
        }
        if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
            throw new BadLineException("burstiness", "must be a positive number, got " + burstiness, 1, true);
        }
        if (inputs == null || outputs == null) {
            throw new BadLineException(inputs == null ? "input_lens" : "output_lens", "is missing: the per-request "
                    + "lengths are in results saved with --save-result (and --save-detailed in newer vLLM)", 1, true);
        }
        if (inputs.length != outputs.length) {
            throw new BadLineException("output_lens", "has " + outputs.length + " lengths, but input_lens has "
                    + inputs.length, inputLine, true);
        }
        return new VllmBenchSource(lines, inputs, outputs, inputLine, new DrawnArrivals(streams, rate, burstiness));
    }

    private static int[] lengths(JsonParser json, String field) throws IOException, BadLineException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw new BadLineException(field, "expected an array of token counts, got " + JsonValues.describe(json));
        }
        int[] values = new int[1024];
        int n = 0;
        while (json.nextToken() != JsonToken.END_ARRAY) {
            if (n == MAX_REQUESTS) {
                throw new BadLineException(field, "has more than " + MAX_REQUESTS + " requests");
            }
            int value = LineParser.checkCount(field + "[" + n + "]", JsonValues.integer(json, field + "[" + n + "]"));
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = value;
        }
        return Arrays.copyOf(values, n);
    }

    private static BadLineException fatal(JsonParser json, String field, String problem) {
        return new BadLineException(field, problem, JsonValues.line(json), true);
    }

    @Override
    public TraceEntry next() {
        if (next == inputs.length) {
            return null;
        }
        int i = next++;
        return new TraceEntry(line, arrivals.next(), inputs[i], outputs[i], TraceEntry.NO_HASHES, 0, -1, 0, 0, "",
                Double.NaN);
    }

    @Override
    public String timeField() {
        return "request_rate";
    }

    @Override
    public long lineNumber() {
        return line;
    }

    @Override
    public boolean gzip() {
        return lines.gzip();
    }

    @Override
    public void close() {
        // read and closed at once
    }
}
