package dev.servesim.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.api.ServesimException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The measured side of a trace in vllm-vcr's format (../shared/reference/vllm-vcr-traces.md section 1): per completed
 * request its arrival, TTFT and gaps between output chunks, in arrival order (files are in finish order). Only what
 * fidelity compares is read; the workload side (prompts, block hashes) is the trace workload source's.
 */
final class MeasuredTrace {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest line read, bytes: a request with a million gaps. */
    private static final int MAX_LINE_CHARS = 16 << 20;

    /** One measured request. {@code meanItlMs} is NaN with a single output token. */
    record Measured(int line, double arrivalMs, double ttftMs, double meanItlMs, double e2eMs, int outputTokens) {}

    private MeasuredTrace() {}

    static List<Measured> read(Path file) {
        List<Measured> requests = new ArrayList<>();
        try (BufferedReader reader = open(file)) {
            int number = 0;
            StringBuilder buffer = new StringBuilder();
            for (String line = nextLine(reader, buffer); line != null; line = nextLine(reader, buffer)) {
                number++;
                if (line.length() > MAX_LINE_CHARS) {
                    throw bad(file, number, "line longer than " + MAX_LINE_CHARS + " characters");
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw bad(file, number, "not a JSON object");
                }
                if (node == null || !node.isObject()) {
                    throw bad(file, number, "not a JSON object");
                }
                if (node.has("meta")) {
                    continue;
                }
                requests.add(measured(file, number, node));
            }
        } catch (IOException e) {
            throw ServesimException.unreadable("trace", file, e);
        }
        if (requests.isEmpty()) {
            throw bad(file, 1, "no request records (expected vllm-vcr JSONL: prompt_tokens, output_tokens, ttft_ms, "
                    + "itl_ms, arrival_ms per line)");
        }
        requests.sort(Comparator.comparingDouble(Measured::arrivalMs).thenComparingInt(Measured::line));
        return List.copyOf(requests);
    }

    private static Measured measured(Path file, int line, JsonNode node) {
        double arrival = number(file, line, node, "arrival_ms");
        double ttft = number(file, line, node, "ttft_ms");
        int outputs = (int) number(file, line, node, "output_tokens");
        double gaps = 0;
        int count = 0;
        JsonNode itl = node.get("itl_ms");
        if (itl != null && itl.isArray()) {
            for (JsonNode gap : itl) {
                if (!gap.isNumber() || !(gap.asDouble() >= 0)) {
                    throw bad(file, line, "itl_ms: expected non-negative numbers");
                }
                gaps += gap.asDouble();
                count++;
            }
        } else if (node.path("itl_summary").isObject()) {
            double mean = number(file, line, node.get("itl_summary"), "mean_ms");
            count = (int) number(file, line, node.get("itl_summary"), "count");
            gaps = mean * count;
        } else if (outputs > 1) {
            throw bad(file, line, "itl_ms or itl_summary is required with more than one output token");
        }
        return new Measured(line, arrival, ttft, count == 0 ? Double.NaN : gaps / count, ttft + gaps, outputs);
    }

    /** The next line, or null at the end; a line over the limit is cut one character past it, to be refused. */
    private static String nextLine(BufferedReader reader, StringBuilder buffer) throws IOException {
        buffer.setLength(0);
        int c = reader.read();
        if (c < 0) {
            return null;
        }
        while (c >= 0 && c != '\n') {
            if (buffer.length() <= MAX_LINE_CHARS) {
                buffer.append((char) c);
            }
            c = reader.read();
        }
        int end = buffer.length();
        if (end > 0 && buffer.charAt(end - 1) == '\r') {
            buffer.setLength(end - 1);
        }
        return buffer.toString();
    }

    private static double number(Path file, int line, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < 0) {
            throw bad(file, line, field + ": expected a non-negative number, got "
                    + (value == null ? "nothing" : value.toString()));
        }
        return value.asDouble();
    }

    private static BufferedReader open(Path file) throws IOException {
        PushbackInputStream in = new PushbackInputStream(Files.newInputStream(file), 2);
        byte[] magic = in.readNBytes(2);
        in.unread(magic);
        InputStream stream = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b
                ? new GZIPInputStream(in) : in;
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    private static ServesimException bad(Path file, int line, String problem) {
        return ServesimException.config(file + ":" + line, problem);
    }
}
