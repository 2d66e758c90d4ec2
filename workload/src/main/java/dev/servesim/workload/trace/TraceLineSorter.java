package dev.servesim.workload.trace;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sorts trace lines by (arrival, id) with bounded memory: lines are buffered up to a number of characters, then the
 * sorted buffer is spilled to a run file next to the target; {@link #writeTo} merges the runs (an external merge
 * sort). Requests finish out of arrival order, and a trace must be sorted, hence this.
 */
public final class TraceLineSorter implements Closeable {

    /** Default buffer: about 32 MB of characters. */
    public static final long DEFAULT_BUFFER_CHARS = 16L << 20;

    private static final Comparator<Line> ORDER = Comparator.comparingDouble(Line::arrival).thenComparingLong(Line::id);

    private final Path target;
    private final long maxBufferedChars;
    private final ArrayList<Line> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private long bufferedChars;

    /**
     * @param target the file the sorted lines are for; run files are written beside it
     * @param maxBufferedChars characters buffered before a run is spilled
     */
    public TraceLineSorter(Path target, long maxBufferedChars) {
        this.target = target;
        this.maxBufferedChars = maxBufferedChars;
    }

    /** Adds one line (without line break). */
    public void add(double arrival, long id, String line) {
        buffer.add(new Line(arrival, id, line));
        bufferedChars += line.length() + 32;
        if (bufferedChars >= maxBufferedChars) {
            spill();
        }
    }

    /** Number of run files spilled so far. */
    public int runs() {
        return runs.size();
    }

    /** Writes every line added, sorted, each followed by a line break. */
    public void writeTo(Writer out) {
        buffer.sort(ORDER);
        try {
            if (runs.isEmpty()) {
                for (Line line : buffer) {
                    out.write(line.json());
                    out.write('\n');
                }
                buffer.clear();
                return;
            }
            spill();
            merge(out);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the run files. */
    @Override
    public void close() {
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                throw new ServesimException(ErrorKind.IO, "cannot delete " + run + ": " + e.getMessage(), e);
            }
        }
        runs.clear();
    }

    private void spill() {
        if (buffer.isEmpty()) {
            return;
        }
        buffer.sort(ORDER);
        Path run = target.resolveSibling(target.getFileName() + ".run-" + runs.size() + ".tmp");
        try (BufferedWriter writer = Files.newBufferedWriter(run, StandardCharsets.UTF_8)) {
            for (Line line : buffer) {
                writer.write(Long.toHexString(Double.doubleToRawLongBits(line.arrival())));
                writer.write('\t');
                writer.write(Long.toString(line.id()));
                writer.write('\t');
                writer.write(line.json());
                writer.write('\n');
            }
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + run + ": " + e.getMessage(), e);
        }
        runs.add(run);
        buffer.clear();
        bufferedChars = 0;
    }

    private void merge(Writer out) throws IOException {
        PriorityQueue<Cursor> queue = new PriorityQueue<>(Comparator.comparing(Cursor::line, ORDER));
        List<BufferedReader> readers = new ArrayList<>();
        try {
            for (Path run : runs) {
                BufferedReader reader = Files.newBufferedReader(run, StandardCharsets.UTF_8);
                readers.add(reader);
                Cursor cursor = new Cursor(reader);
                if (cursor.advance()) {
                    queue.add(cursor);
                }
            }
            while (!queue.isEmpty()) {
                Cursor cursor = queue.poll();
                out.write(cursor.line().json());
                out.write('\n');
                if (cursor.advance()) {
                    queue.add(cursor);
                }
            }
        } finally {
            for (BufferedReader reader : readers) {
                reader.close();
            }
        }
    }

    private record Line(double arrival, long id, String json) {}

    private static final class Cursor {
        private final BufferedReader reader;
        private Line line;

        Cursor(BufferedReader reader) {
            this.reader = reader;
        }

        Line line() {
            return line;
        }

        boolean advance() throws IOException {
            String text = reader.readLine();
            if (text == null) {
                return false;
            }
            int first = text.indexOf('\t');
            int second = text.indexOf('\t', first + 1);
            double arrival = Double.longBitsToDouble(Long.parseUnsignedLong(text.substring(0, first), 16));
            long id = Long.parseLong(text.substring(first + 1, second));
            line = new Line(arrival, id, text.substring(second + 1));
            return true;
        }
    }
}
