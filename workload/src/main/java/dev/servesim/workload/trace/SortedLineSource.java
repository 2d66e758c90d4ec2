package dev.servesim.workload.trace;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrays;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The requests of a trace written in finish order (vllm-vcr, OpenAI request logs), replayed in arrival order: the
 * order of a stable sort by arrival time, as vllm-vcr's replay sorts its records. The file is read twice. The first
 * pass parses every line, reporting (or skipping) malformed ones, and keeps 24 bytes per request: its arrival and line,
 * then its rank. The second pass reads the file again and hands out the requests by rank, holding those read ahead of
 * their turn; a request finishes after it arrives, so in a finish-ordered file they are the ones that arrived later
 * but finished sooner, about as many as were in flight. Both are bounded: at most {@link #MAX_REQUESTS} requests, and
 * at most {@link #MAX_HELD_HASHES} block hashes held; a file that needs more stops with a message to sort it.
 */
final class SortedLineSource implements EntrySource {

    /** Most requests of a trace sorted before its replay: about 100 MB of sort keys at most. */
    static final int MAX_REQUESTS = 1 << 22;

    /** Most block hashes (and requests) held ahead of their turn in the second pass: 64 MiB of hashes. */
    static final int MAX_HELD_HASHES = 1 << 23;

    private final Path file;
    private final LineParser parser;
    private final long[] lines;
    private final int[] rankOf;
    private final double origin;
    private final long skippedLines;
    private final long maxHeldHashes;
    private final Int2ObjectOpenHashMap<TraceEntry> held = new Int2ObjectOpenHashMap<>();
    private TraceLines reread;
    private int nextIndex;
    private int nextRank;
    private long heldHashes;

    private SortedLineSource(Path file, LineParser parser, long[] lines, int[] rankOf, double origin,
            long skippedLines, long maxHeldHashes) {
        this.file = file;
        this.parser = parser;
        this.lines = lines;
        this.rankOf = rankOf;
        this.origin = origin;
        this.skippedLines = skippedLines;
        this.maxHeldHashes = maxHeldHashes;
    }

    /**
     * Reads the rest of {@code lines} (the first pass) and closes it.
     *
     * @param firstRequest the first line when it is a request, else {@code null}
     * @param fromFirst whether trace time counts from the earliest arrival (OpenAI's {@code created} is Unix time) or
     *     is the recorded time (vllm-vcr's {@code arrival_ms} counts from the start of the capture)
     * @param window the replay's window: a request it would send too late is a malformed line, found here so that the
     *     first malformed line in the file is the one reported
     * @throws BadLineException the first malformed line, located, unless {@code skipBadLines}
     */
    static SortedLineSource sort(Path file, String format, TraceLines lines, LineParser parser, boolean skipBadLines,
            String firstRequest, boolean fromFirst, ArrivalWindow window) throws IOException, BadLineException {
        return sort(file, format, lines, parser, skipBadLines, firstRequest, fromFirst, window, MAX_HELD_HASHES);
    }

    /** As above, holding at most {@code maxHeldHashes} hashes (and requests) in the second pass. */
    static SortedLineSource sort(Path file, String format, TraceLines lines, LineParser parser, boolean skipBadLines,
            String firstRequest, boolean fromFirst, ArrivalWindow window, long maxHeldHashes)
            throws IOException, BadLineException {
        double[] arrivals = new double[1024];
        long[] numbers = new long[1024];
        int count = 0;
        long skipped = 0;
        BadLineException firstBad = null;
        try (LineSource source = new LineSource(lines, parser, skipBadLines, firstRequest)) {
            while (true) {
                TraceEntry entry;
                try {
                    entry = source.next();
                } catch (BadLineException e) {
                    if (skipBadLines) {
                        skipped++;
                        continue;
                    }
                    // the requests before it may arrive too late, which is found below, on an earlier line
                    firstBad = e;
                    break;
                }
                if (entry == null) {
                    break;
                }
                if (count == MAX_REQUESTS) {
                    throw new BadLineException(null, "is one request too many: " + format
                            + " traces are sorted by arrival before they are replayed, and this reader sorts at most "
                            + MAX_REQUESTS + " requests; split the file, or sort it and replay the parts", entry.line(),
                            true);
                }
                if (count == arrivals.length) {
                    arrivals = Arrays.copyOf(arrivals, count * 2);
                    numbers = Arrays.copyOf(numbers, count * 2);
                }
                arrivals[count] = entry.time();
                numbers[count] = entry.line();
                count++;
            }
        }
        double origin = 0;
        if (fromFirst && count > 0) {
            origin = Double.POSITIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                origin = Math.min(origin, arrivals[i]);
            }
        }
        // the replay's times, checked in file order: the first malformed line is the one reported
        int kept = 0;
        for (int i = 0; i < count; i++) {
            try {
                window.check(parser.timeField(), arrivals[i] - origin, numbers[i]);
            } catch (BadLineException e) {
                if (!skipBadLines) {
                    throw e;
                }
                skipped++;
                continue;
            }
            arrivals[kept] = arrivals[i] - origin;
            numbers[kept] = numbers[i];
            kept++;
        }
        if (firstBad != null) {
            throw firstBad;
        }
        count = kept;
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        double[] keys = arrivals;
        // stable: requests that arrive at the same time keep their order in the file
        IntArrays.mergeSort(order, 0, count, (a, b) -> Double.compare(keys[a], keys[b]));
        int[] rankOf = new int[count];
        for (int rank = 0; rank < count; rank++) {
            rankOf[order[rank]] = rank;
        }
        return new SortedLineSource(file, parser, Arrays.copyOf(numbers, count), rankOf, origin, skipped,
                maxHeldHashes);
    }

    @Override
    public TraceEntry next() throws IOException, BadLineException {
        if (nextRank == rankOf.length) {
            close();
            return null;
        }
        TraceEntry entry = held.remove(nextRank);
        if (entry != null) {
            heldHashes -= entry.blockHashes().length + 1;
        }
        while (entry == null) {
            TraceEntry read = readNext();
            int rank = rankOf[nextIndex - 1];
            if (rank == nextRank) {
                entry = read;
                break;
            } else {
                held.put(rank, read);
                heldHashes += read.blockHashes().length + 1;
                if (heldHashes > maxHeldHashes) {
                    throw new BadLineException(null, "is too far from arrival order to replay in bounded memory: "
                            + held.size() + " requests read after the one that arrives next (line "
                            + lines[indexOfRank(nextRank)] + ") are held; sort the file by "
                            + parser.timeField(), read.line(), true);
                }
            }
        }
        nextRank++;
        if (origin == 0) {
            return entry;
        }
        return new TraceEntry(entry.line(), entry.time() - origin, entry.promptTokens(), entry.outputTokens(),
                entry.blockHashes(), entry.blockSize(), entry.sessionId(), entry.turn(), entry.priority(),
                entry.profile(), entry.e2e());
    }

    /** The next request line of the second pass, parsed; the first pass found it good. */
    private TraceEntry readNext() throws IOException {
        if (reread == null) {
            reread = TraceLines.open(file);
            reread.tolerateTruncatedGzip(true);
        }
        long wanted = lines[nextIndex];
        String line;
        do {
            try {
                line = reread.next(true);
            } catch (BadLineException e) {
                line = "";
            }
            if (line == null) {
                throw new IOException("the file changed while it was read: line " + wanted + " is gone");
            }
        } while (reread.lineNumber() < wanted);
        nextIndex++;
        if (wanted == 1 && line.startsWith("\uFEFF")) {
            // the byte order mark, which the first pass did not see either (TraceReader read the first line)
            line = line.substring(1);
        }
        try {
            return parser.parse(line, wanted);
        } catch (BadLineException e) {
            throw new IOException("the file changed while it was read: line " + wanted + " is no longer a request", e);
        }
    }

    private int indexOfRank(int rank) {
        for (int i = nextIndex; i < rankOf.length; i++) {
            if (rankOf[i] == rank) {
                return i;
            }
        }
        return nextIndex - 1;
    }

    @Override
    public String timeField() {
        return parser.timeField();
    }

    @Override
    public long lineNumber() {
        return reread == null ? 0 : reread.lineNumber();
    }

    @Override
    public boolean gzip() {
        return reread != null && reread.gzip();
    }

    @Override
    public long skippedLines() {
        return skippedLines;
    }

    @Override
    public void close() throws IOException {
        held.clear();
        if (reread != null) {
            reread.close();
        }
    }
}
