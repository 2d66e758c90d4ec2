package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads a trace one request at a time: the memory it holds does not depend on the length of the file, nor on the
 * length of its lines ({@link TraceLines}: at most 1 MiB of a line is held). Blank lines are ignored. A malformed
 * line stops the run with the file, line number and field, or is skipped and counted when {@code skipBadLines} is
 * set; a line that is not valid UTF-8, holds a NUL byte or is longer than 1 MiB is malformed like one with a bad
 * field, and so is a request that would arrive after {@link TraceEntry#MAX_TIME_SECONDS} of simulated time. The first
 * line tells the format, so any fault in it stops the run. Requests must be sorted by time; a request earlier than
 * the one before it always stops the run. Gzip files are read as their content.
 */
public final class TraceReader implements Closeable {

    /** Format names, as in the configuration. */
    public static final String SERVESIM = "servesim";
    public static final String MOONCAKE = "mooncake";
    public static final String AZURE = "azure";
    public static final String BURSTGPT = "burstgpt";

    /** Longest problem text quoted from a line in a message. */
    private static final int MAX_PROBLEM_CHARS = 300;

    private final Path file;
    private final TraceLines lines;
    private final LineParser parser;
    private final String format;
    private final boolean skipBadLines;
    private final double start;
    private final double speedup;
    private String pendingLine;
    private long pendingLineNumber;
    private long skippedLines;
    private double lastTime = Double.NEGATIVE_INFINITY;
    private long lastTimeLine;
    private boolean closed;

    private TraceReader(Path file, TraceLines lines, String format, boolean skipBadLines, int mooncakeBlockSize,
            double start, double speedup) throws IOException {
        this.file = file;
        this.lines = lines;
        this.skipBadLines = skipBadLines;
        this.start = start;
        this.speedup = speedup;
        String first = readFirstLine();
        this.format = format.equals("auto") ? detect(first) : format;
        JsonFactory json = new JsonFactory();
        try {
            parser = switch (this.format) {
                case SERVESIM -> ServesimParser.fromMeta(json, first);
                case MOONCAKE -> {
                    // the first line is a request
                    pendingLine = first;
                    pendingLineNumber = lines.lineNumber();
                    yield new MooncakeParser(json, mooncakeBlockSize);
                }
                case AZURE -> AzureParser.fromHeader(first);
                case BURSTGPT -> BurstGptParser.fromHeader(first);
                default -> throw new IllegalArgumentException("unknown trace format " + this.format);
            };
        } catch (BadLineException e) {
            throw new ServesimException(ErrorKind.CONFIG, file + ":" + lines.lineNumber() + ": " + describe(e)
                    + " (format " + this.format + ")");
        }
    }

    /**
     * Opens {@code file} (relative paths against the working directory) to replay from trace time 0 at speed 1.
     *
     * @param format {@code auto} or one of the format names
     */
    public static TraceReader open(Path file, String format, boolean skipBadLines, int mooncakeBlockSize) {
        return open(file, format, skipBadLines, mooncakeBlockSize, 0, 1);
    }

    /**
     * Opens {@code file} (relative paths against the working directory).
     *
     * @param format {@code auto} or one of the format names
     * @param start trace time, seconds, that the replay sends at simulated time 0
     * @param speedup trace time runs this many times faster than simulated time; with {@code start}, a request at
     *     trace time t arrives at simulated time (t - start) / speedup, and one after
     *     {@link TraceEntry#MAX_TIME_SECONDS} is a bad line
     */
    public static TraceReader open(Path file, String format, boolean skipBadLines, int mooncakeBlockSize,
            double start, double speedup) {
        if (Files.isDirectory(file)) {
            throw new ServesimException(ErrorKind.CONFIG, "workload.file: " + file.toAbsolutePath()
                    + " is a folder, not a trace");
        }
        TraceLines lines;
        try {
            lines = TraceLines.open(file);
        } catch (NoSuchFileException e) {
            throw new ServesimException(ErrorKind.CONFIG, "workload.file: trace not found: " + file.toAbsolutePath()
                    + " (relative paths are resolved against the working directory)");
        } catch (ZipException | EOFException e) {
            throw new ServesimException(ErrorKind.CONFIG, file + " starts like a gzip file (bytes 0x1f 0x8b) but has "
                    + "no valid gzip header: " + (e instanceof EOFException ? "the file ends within it" : reason(e)), e);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot open trace " + file + ": " + reason(e), e);
        }
        try {
            return new TraceReader(file, lines, format, skipBadLines, mooncakeBlockSize, start, speedup);
        } catch (IOException e) {
            closeQuietly(lines);
            throw readFailure(file, lines, e);
        } catch (RuntimeException e) {
            closeQuietly(lines);
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
                try {
                    line = lines.next(skipBadLines);
                } catch (BadLineException e) {
                    if (skipBadLines) {
                        skippedLines++;
                        continue;
                    }
                    close();
                    throw badLine(lines.lineNumber(), e);
                } catch (IOException e) {
                    close();
                    throw readFailure(file, lines, e);
                }
                number = lines.lineNumber();
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
                checkArrival(entry);
            } catch (BadLineException e) {
                if (skipBadLines) {
                    skippedLines++;
                    continue;
                }
                close();
                throw badLine(number, e);
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
            closeQuietly(lines);
        }
    }

    /**
     * Rejects a request the replay would send after {@link TraceEntry#MAX_TIME_SECONDS} of simulated time. The limit
     * is on the simulated time, (t - start) / speedup as the source computes it, not on the trace time: a trace may
     * count from any origin (Unix time, say) that {@code start} takes away. The parsers have checked that t is a
     * finite time of at least 0; requests before {@code start}, which the source skips, pass.
     */
    private void checkArrival(TraceEntry entry) throws BadLineException {
        double arrival = (entry.time() - start) / speedup;
        if (arrival > TraceEntry.MAX_TIME_SECONDS) {
            String where = start == 0 && speedup == 1 ? ""
                    : ", which start " + start + " s and speedup " + speedup + " put at " + arrival + " s";
            throw new BadLineException(parser.timeField(), "arrives at " + entry.time() + " s of trace time" + where
                    + ", later than the " + TraceEntry.MAX_TIME_TEXT + " a replay may last");
        }
    }

    private ServesimException badLine(long number, BadLineException e) {
        return new ServesimException(ErrorKind.CONFIG, file + ":" + number + ": " + describe(e) + " (format "
                + format + "; skip_bad_lines: true skips malformed lines)");
    }

    /** "field 'x': problem", or "the line problem" for a fault of the whole line; one line, of bounded length. */
    private static String describe(BadLineException e) {
        String problem = LineParser.shown(e.getMessage(), MAX_PROBLEM_CHARS);
        return e.field() == null ? "the line " + problem : "field '" + e.field() + "': " + problem;
    }

    private static ServesimException readFailure(Path file, TraceLines lines, IOException e) {
        if (lines.gzip()) {
            return new ServesimException(ErrorKind.CONFIG, file + ": the gzip stream is corrupt or cut short after "
                    + "line " + lines.lineNumber() + ": " + reason(e), e);
        }
        return new ServesimException(ErrorKind.IO, "cannot read trace " + file + " after line " + lines.lineNumber()
                + ": " + reason(e), e);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? "read error" : LineParser.shown(e.getMessage(), MAX_PROBLEM_CHARS);
    }

    /** The first non-blank line, without a UTF-8 byte order mark; any fault in it is an error, as it tells the format. */
    private String readFirstLine() throws IOException {
        String line;
        do {
            try {
                line = lines.next(false);
            } catch (BadLineException e) {
                throw new ServesimException(ErrorKind.CONFIG, file + ":" + lines.lineNumber() + ": not a text trace: "
                        + "line " + lines.lineNumber() + " " + e.getMessage() + "; a trace is UTF-8 text, or gzip of "
                        + "it, with lines of at most " + TraceLines.MAX_LINE_TEXT);
            }
            if (line == null) {
                throw new ServesimException(ErrorKind.CONFIG, "trace " + file + " is empty"
                        + (lines.gzip() ? " (gzip)" : ""));
            }
        } while (line.isBlank());
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
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
        throw new ServesimException(ErrorKind.CONFIG, file + ":" + lines.lineNumber() + ": cannot tell the trace "
                + "format from the first line '" + LineParser.shown(trimmed, 80) + "'; known formats: servesim (meta line {\"servesim_trace\": 1, "
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
