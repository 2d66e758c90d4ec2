package dev.servesim.runner.sinks;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes Chrome Trace Event JSON ({@code {"traceEvents": [...], ...}}, the format ui.perfetto.dev and
 * chrome://tracing open) as it goes, one event per line. An event is begun ({@link #complete}, {@link #counter},
 * {@link #instant}, {@link #metadata}), given arguments ({@link #arg}) and ended ({@link #end}). Times are simulated
 * nanoseconds, written as microseconds with three decimals; no number is written in exponent form, so the same
 * events give the same bytes.
 */
final class TraceEventWriter {

    private final Writer out;
    private final StringBuilder line = new StringBuilder(256);
    private boolean firstEvent = true;
    private boolean firstArg;

    TraceEventWriter(Writer out) {
        this.out = out;
    }

    /** Simulated seconds as whole nanoseconds (times are at most 1e9 s, well inside a long). */
    static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    void begin() throws IOException {
        out.write("{\"traceEvents\":[\n");
    }

    /** Begins an {@code X} (complete) event: a slice from {@code startNanos} lasting {@code durationNanos}. */
    TraceEventWriter complete(String name, int pid, long tid, long startNanos, long durationNanos) {
        start(name, 'X', pid, tid, startNanos);
        line.append(",\"dur\":");
        micros(durationNanos);
        return this;
    }

    /** Begins a {@code C} (counter) event of process {@code pid}, from its thread {@code tid}; each arg is a series. */
    TraceEventWriter counter(String name, int pid, long tid, long timeNanos) {
        start(name, 'C', pid, tid, timeNanos);
        return this;
    }

    /** Begins an {@code i} (instant) event on thread {@code tid}. */
    TraceEventWriter instant(String name, int pid, long tid, long timeNanos) {
        start(name, 'i', pid, tid, timeNanos);
        line.append(",\"s\":\"t\"");
        return this;
    }

    /** Begins an {@code M} (metadata) event such as {@code process_name} or {@code thread_sort_index}. */
    TraceEventWriter metadata(String name, int pid, long tid) {
        start(name, 'M', pid, tid, 0);
        return this;
    }

    TraceEventWriter arg(String key, long value) {
        key(key).append(value);
        return this;
    }

    TraceEventWriter arg(String key, String value) {
        quoted(key(key), value);
        return this;
    }

    /** A fraction given in ten-thousandths (0 to 10,000), written with 4 decimals. */
    TraceEventWriter fractionArg(String key, long tenThousandths) {
        key(key);
        line.append(tenThousandths / 10_000).append('.');
        padded(tenThousandths % 10_000, 4);
        return this;
    }

    void end() throws IOException {
        if (!firstArg) {
            line.append('}');
        }
        line.append('}');
        if (!firstEvent) {
            out.write(",\n");
        }
        firstEvent = false;
        out.append(line);
    }

    /**
     * Closes the event list and writes {@code otherData}: keys and values alternately, in order; a {@code String}
     * value is written as a string, any other (whole numbers, booleans) as is.
     */
    void finish(Object... otherData) throws IOException {
        line.setLength(0);
        line.append("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{");
        for (int i = 0; i < otherData.length; i += 2) {
            if (i > 0) {
                line.append(',');
            }
            quoted(line, (String) otherData[i]).append(':');
            if (otherData[i + 1] instanceof String text) {
                quoted(line, text);
            } else {
                line.append(otherData[i + 1]);
            }
        }
        line.append("}}\n");
        out.append(line);
    }

    private void start(String name, char phase, int pid, long tid, long timeNanos) {
        line.setLength(0);
        quoted(line.append("{\"name\":"), name).append(",\"ph\":\"").append(phase).append("\",\"pid\":").append(pid)
                .append(",\"tid\":").append(tid).append(",\"ts\":");
        micros(timeNanos);
        firstArg = true;
    }

    private StringBuilder key(String key) {
        line.append(firstArg ? ",\"args\":{" : ",");
        firstArg = false;
        return quoted(line, key).append(':');
    }

    private void micros(long nanos) {
        long value = Math.max(0, nanos);
        line.append(value / 1000).append('.');
        padded(value % 1000, 3);
    }

    private void padded(long value, int digits) {
        String text = Long.toString(value);
        for (int i = text.length(); i < digits; i++) {
            line.append('0');
        }
        line.append(text);
    }

    private static StringBuilder quoted(StringBuilder target, String text) {
        target.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, target);
        return target.append('"');
    }
}
