package dev.servesim.workload.trace;

import java.io.Closeable;
import java.io.IOException;

/**
 * The requests of one trace file in the order they are replayed, for the {@link TraceReader}: the lines of a JSON
 * lines or CSV trace ({@link LineSource}), the lines of a trace written in finish order, sorted
 * ({@link SortedLineSource}), or the requests of a trace that is one JSON document ({@link ShareGptSource},
 * {@link VllmBenchSource}).
 */
interface EntrySource extends Closeable {

    /**
     * The next request, or {@code null} at the end.
     *
     * @throws BadLineException for a malformed request, located on its line; the reader skips it if it is not fatal
     *     and bad lines are skipped, and the next call goes on after it
     */
    TraceEntry next() throws IOException, BadLineException;

    /** Name of the field that holds the arrival time, as the format writes it. */
    String timeField();

    /** Number of the line last read, for a message about a failed read. */
    long lineNumber();

    /** Whether the file is gzip. */
    boolean gzip();

    /** Malformed lines this source skipped itself (while sorting a trace before replaying it). */
    default long skippedLines() {
        return 0;
    }

    @Override
    void close() throws IOException;
}
