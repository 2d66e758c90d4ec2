package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a trace one request at a time: the memory it holds does not depend on the length of the file. Blank lines
 * are ignored. A malformed line stops the run with the file, line number and field, or is skipped and counted when
 * {@code skipBadLines} is set. Requests must be sorted by time; a request earlier than the one before it always
 * stops the run.
 */
public final class TraceReader implements Closeable {

    /** Format names, as in the configuration. */
    public static final String SERVESIM = "servesim";
    public static final String MOONCAKE = "mooncake";
    public static final String AZURE = "azure";
    public static final String BURSTGPT = "burstgpt";

    private final Path file;
    private final BufferedReader reader;
    private final LineParser parser;
    private final String format;
    private final boolean skipBadLines;
    private String pendingLine;
    private long lineNumber;
    private long pendingLineNumber;
    private long skippedLines;
    private double lastTime = Double.NEGATIVE_INFINITY;
    private long lastTimeLine;
    private boolean closed;

    private TraceReader(Path file, BufferedReader reader, String format, boolean skipBadLines, int mooncakeBlockSize)
            throws IOException {
        this.file = file;
        this.reader = reader;
        this.skipBadLines = skipBadLines;
        String first = readFirstLine();
        this.format = format.equals("auto") ? detect(first) : format;
        JsonFactory json = new JsonFactory();
        try {
            parser = switch (this.format) {
                case SERVESIM -> ServesimParser.fromMeta(json, first);
                case MOONCAKE -> {
                    // the first line is a request
                    pendingLine = first;
                    pendingLineNumber = lineNumber;
                    yield new MooncakeParser(json, mooncakeBlockSize);
                }
                case AZURE -> AzureParser.fromHeader(first);
                case BURSTGPT -> BurstGptParser.fromHeader(first);
                default -> throw new IllegalArgumentException("unknown trace format " + this.format);
            };
        } catch (BadLineException e) {
            throw new ServesimException(ErrorKind.CONFIG, file + ":" + lineNumber + ": field '" + e.field() + "': "
                    + e.getMessage() + " (format " + this.format + ")");
        }
    }

    /**
     * Opens {@code file} (relative paths against the working directory).
     *
     * @param format {@code auto} or one of the format names
     */
    public static TraceReader open(Path file, String format, boolean skipBadLines, int mooncakeBlockSize) {
        BufferedReader reader;
        try {
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ServesimException(ErrorKind.CONFIG, "workload.file: trace not found: " + file.toAbsolutePath()
                    + " (relative paths are resolved against the working directory)");
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot open trace " + file + ": " + e.getMessage(), e);
        }
        try {
            return new TraceReader(file, reader, format, skipBadLines, mooncakeBlockSize);
        } catch (IOException e) {
            closeQuietly(reader);
            throw new ServesimException(ErrorKind.IO, "cannot read trace " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    /** The format being read. */
    public String format() {
        return format;
    }

    /** Malformed lines skipped so far. */
    public long skippedLines() {
        return skippedLines;
    }

    /** The next request, or {@code null} at the end of the file (which closes it). */
    public TraceEntry next() {
        while (!closed) {
            String line;
            long number;
            if (pendingLine != null) {
                line = pendingLine;
                number = pendingLineNumber;
                pendingLine = null;
            } else {
                line = readLine();
                number = lineNumber;
                if (line == null) {
                    close();
                    return null;
                }
            }
            if (line.isBlank()) {
                continue;
            }
            TraceEntry entry;
            try {
                entry = parser.parse(line, number);
            } catch (BadLineException e) {
                if (skipBadLines) {
                    skippedLines++;
                    continue;
                }
                close();
                throw new ServesimException(ErrorKind.CONFIG, file + ":" + number + ": field '" + e.field() + "': "
                        + e.getMessage() + " (format " + format + "; skip_bad_lines: true skips malformed lines)");
            }
            if (entry.time() < lastTime) {
                close();
                throw new ServesimException(ErrorKind.CONFIG, file + ":" + number + ": the trace is not sorted by "
                        + "time: this request arrives at " + entry.time() + " s, before the request on line "
                        + lastTimeLine + " at " + lastTime + " s; sort the trace by arrival time");
            }
            lastTime = entry.time();
            lastTimeLine = number;
            return entry;
        }
        return null;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(reader);
        }
    }

    private String readFirstLine() throws IOException {
        String line;
        do {
            line = reader.readLine();
            lineNumber++;
            if (line == null) {
                throw new ServesimException(ErrorKind.CONFIG, "trace " + file + " is empty");
            }
        } while (line.isBlank());
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }

    private String readLine() {
        try {
            String line = reader.readLine();
            if (line != null) {
                lineNumber++;
            }
            return line;
        } catch (IOException e) {
            close();
            throw new ServesimException(ErrorKind.IO, "cannot read trace " + file + " after line " + lineNumber + ": "
                    + e.getMessage(), e);
        }
    }

    private String detect(String first) {
        String trimmed = first.strip();
        if (trimmed.startsWith("{")) {
            if (trimmed.contains("\"servesim_trace\"")) {
                return SERVESIM;
            }
            if (trimmed.contains("\"hash_ids\"") || trimmed.contains("\"input_length\"")) {
                return MOONCAKE;
            }
        } else {
            try {
                String[] header = CsvFields.split(trimmed);
                if (AzureParser.matches(header)) {
                    return AZURE;
                }
                if (BurstGptParser.matches(header)) {
                    return BURSTGPT;
                }
            } catch (IllegalArgumentException e) {
                // not a CSV header either: reported below
            }
        }
        String shown = trimmed.length() > 80 ? trimmed.substring(0, 80) + "..." : trimmed;
        throw new ServesimException(ErrorKind.CONFIG, file + ":" + lineNumber + ": cannot tell the trace format from "
                + "the first line '" + shown + "'; known formats: servesim (meta line {\"servesim_trace\": 1, "
                + "\"block_size\": N}), mooncake (JSON lines with timestamp, input_length, output_length, hash_ids), "
                + "azure (CSV header TIMESTAMP,ContextTokens,GeneratedTokens), burstgpt (CSV header with Timestamp, "
                + "Request tokens, Response tokens); set workload.format if the file is one of them");
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing was written; a failed close of a reader loses nothing
        }
    }
}
