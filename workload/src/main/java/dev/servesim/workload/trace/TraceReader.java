package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.zip.ZipException;

/**
 * Reads a trace one request at a time: the memory it holds does not depend on the length of the file, nor on the
 * length of its lines ({@link TraceLines}: at most 1 MiB of a line is held). Blank lines are ignored. A malformed
 * line stops the run with the file, line number and field, or is skipped and counted when {@code skipBadLines} is
 * set; a line that is not valid UTF-8, holds a NUL byte or is longer than 1 MiB is malformed like one with a bad
 * field, and so is a request that would arrive after {@link TraceEntry#MAX_TIME_SECONDS} of simulated time. The first
 * line tells the format, so any fault in it stops the run. Requests must be sorted by time; a request earlier than
 * the one before it always stops the run. Gzip files are read as their content.
 *
 * <p>Two formats are written in finish order (vllm-vcr, OpenAI request logs): they are sorted by arrival before the
 * replay ({@link SortedLineSource}, which reads them twice). Two are one JSON document (ShareGPT, a vLLM
 * benchmark_serving result): they are read with a streaming parser, and their arrivals, which they do not record, are
 * drawn from {@code arrivals}.
 */
public final class TraceReader implements Closeable {

    /** Format names, as in the configuration. */
    public static final String SERVESIM = "servesim";
    public static final String MOONCAKE = "mooncake";
    public static final String AZURE = "azure";
    public static final String BURSTGPT = "burstgpt";
    public static final String VCR = "vcr";
    public static final String SHAREGPT = "sharegpt";
    public static final String VLLM_BENCH = "vllm-bench";
    public static final String OPENAI_LOG = "openai-log";
    public static final String BAILIAN = "bailian";

    private static final System.Logger LOG = System.getLogger(TraceReader.class.getName());

    /** Longest problem text quoted from a line in a message. */
    private static final int MAX_PROBLEM_CHARS = 300;

    private final Path file;
    private final TraceLines lines;
    private final EntrySource source;
    private final String format;
    private final boolean skipBadLines;
    private final ArrivalWindow window;
    private long skippedLines;
    private double lastTime = Double.NEGATIVE_INFINITY;
    private long lastTimeLine;
    private boolean closed;

    private TraceReader(Path file, TraceLines lines, String format, boolean skipBadLines, int mooncakeBlockSize,
            double start, double speedup, Supplier<RandomGenerator> arrivals) throws IOException {
        this.file = file;
        this.lines = lines;
        this.skipBadLines = skipBadLines;
        this.window = new ArrivalWindow(start, speedup);
        String chosen = format.equals("auto") ? TraceFormats.fromHead(file, lines.head()) : format;
        if (chosen != null && TraceFormats.wholeDocument(chosen)) {
            this.format = chosen;
            try {
                source = chosen.equals(SHAREGPT) ? new ShareGptSource(file, lines, arrivals)
                        : VllmBenchSource.read(file, lines, arrivals);
            } catch (BadLineException e) {
                throw badLine(e.line(), e);
            }
            return;
        }
        // vllm-vcr reads the gzip files of a capture that was stopped; no other format accepts one cut short
        lines.tolerateTruncatedGzip(VCR.equals(chosen) || chosen == null);
        String first = readFirstLine();
        this.format = chosen != null ? chosen : TraceFormats.fromFirstLine(file, lines.lineNumber(), first);
        if (!this.format.equals(VCR)) {
            if (lines.truncated()) {
                throw readFailure(file, lines, new EOFException("Unexpected end of ZLIB input stream"));
            }
            lines.tolerateTruncatedGzip(false);
        }
        JsonFactory json = new JsonFactory();
        try {
            source = switch (this.format) {
                case SERVESIM -> new LineSource(lines, ServesimParser.fromMeta(json, first), skipBadLines, null);
                // the first line is a request
                case MOONCAKE -> new LineSource(lines, new MooncakeParser(json, mooncakeBlockSize), skipBadLines,
                        first);
                case BAILIAN -> new LineSource(lines, new BailianParser(json), skipBadLines, first);
                case AZURE -> new LineSource(lines, AzureParser.fromHeader(first), skipBadLines, null);
                case BURSTGPT -> new LineSource(lines, BurstGptParser.fromHeader(first), skipBadLines, null);
                case VCR -> {
                    VcrParser parser = VcrParser.fromFirstLine(json, first);
                    yield SortedLineSource.sort(file, VCR, lines, parser, skipBadLines, parser.meta() ? null : first,
                            false, window);
                }
                case OPENAI_LOG -> SortedLineSource.sort(file, OPENAI_LOG, lines, new OpenAiLogParser(json),
                        skipBadLines, first, true, window);
                default -> throw new IllegalArgumentException("unknown trace format " + this.format);
            };
        } catch (BadLineException e) {
            if (e.line() >= 0) {
                throw badLine(e.line(), e);
            }
            throw new ServesimException(ErrorKind.CONFIG, file + ":" + lines.lineNumber() + ": " + describe(e)
                    + " (format " + this.format + ")");
        }
        if (lines.truncated()) {
            LOG.log(Level.WARNING, "workload: the gzip stream of the trace " + file + " ends without its trailer (a "
                    + "capture that was stopped), after line " + lines.lineNumber() + "; it is read up to its last "
                    + "whole line, as vllm-vcr does");
        }
    }

    /**
     * Opens {@code file} (relative paths against the working directory) to replay from trace time 0 at speed 1.
     *
     * @param format {@code auto} or one of the format names
     */
    public static TraceReader open(Path file, String format, boolean skipBadLines, int mooncakeBlockSize) {
        return open(file, format, skipBadLines, mooncakeBlockSize, 0, 1, TraceReader::fixedArrivals);
    }

    /** Opens {@code file} as the next method does, drawing the arrivals that the trace does not record from seed 1. */
    public static TraceReader open(Path file, String format, boolean skipBadLines, int mooncakeBlockSize,
            double start, double speedup) {
        return open(file, format, skipBadLines, mooncakeBlockSize, start, speedup, TraceReader::fixedArrivals);
    }

    /** Arrivals of the formats that record none, when the caller has no random stream: a fixed seed, 1. */
    private static RandomGenerator fixedArrivals() {
        return new SplittableRandom(1);
    }

    /**
     * Opens {@code file} (relative paths against the working directory).
     *
     * @param format {@code auto} or one of the format names
     * @param start trace time, seconds, that the replay sends at simulated time 0
     * @param speedup trace time runs this many times faster than simulated time; with {@code start}, a request at
     *     trace time t arrives at simulated time (t - start) / speedup, and one after
     *     {@link TraceEntry#MAX_TIME_SECONDS} is a bad line
     * @param arrivals the random stream that draws the arrivals of formats that record none (ShareGPT, vLLM
     *     benchmark results), asked for only by them
     */
    public static TraceReader open(Path file, String format, boolean skipBadLines, int mooncakeBlockSize,
            double start, double speedup, Supplier<RandomGenerator> arrivals) {
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
            return new TraceReader(file, lines, format, skipBadLines, mooncakeBlockSize, start, speedup, arrivals);
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
        return skippedLines + source.skippedLines();
    }

    /** The next request, or {@code null} at the end of the file (which closes it). */
    public TraceEntry next() {
        while (!closed) {
            TraceEntry entry;
            try {
                entry = source.next();
                if (entry == null) {
                    close();
                    return null;
                }
                window.check(source.timeField(), entry.time(), entry.line());
            } catch (BadLineException e) {
                if (skipBadLines && !e.fatal()) {
                    skippedLines++;
                    continue;
                }
                close();
                throw badLine(e.line(), e);
            } catch (IOException e) {
                close();
                throw readFailure(file, source.gzip(), source.lineNumber(), e);
            }
            long number = entry.line();
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
            closeQuietly(source != null ? source : lines);
        }
    }

    private ServesimException badLine(long number, BadLineException e) {
        return new ServesimException(ErrorKind.CONFIG, file + ":" + number + ": " + describe(e) + " (format "
                + format + (e.fatal() ? ")" : "; skip_bad_lines: true skips malformed lines)"));
    }

    /** "field 'x': problem", or "the line problem" for a fault of the whole line; one line, of bounded length. */
    private static String describe(BadLineException e) {
        String problem = LineParser.shown(e.getMessage(), MAX_PROBLEM_CHARS);
        return e.field() == null ? "the line " + problem : "field '" + e.field() + "': " + problem;
    }

    private static ServesimException readFailure(Path file, TraceLines lines, IOException e) {
        return readFailure(file, lines.gzip(), lines.lineNumber(), e);
    }

    static ServesimException readFailure(Path file, boolean gzip, long lineNumber, IOException e) {
        if (gzip) {
            return new ServesimException(ErrorKind.CONFIG, file + ": the gzip stream is corrupt or cut short after "
                    + "line " + lineNumber + ": " + reason(e), e);
        }
        return new ServesimException(ErrorKind.IO, "cannot read trace " + file + " after line " + lineNumber
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

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing was written; a failed close of a reader loses nothing
        }
    }
}
