package dev.servesim.workload.trace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Reading helpers of the trace format tests. */
final class Traces {

    /** The example traces of the project (examples/traces), relative to the module the tests run in. */
    static final Path EXAMPLES = Path.of("../examples/traces");

    private Traces() {}

    /** Every entry of {@code file}, with the reader's detected format and skipped lines. */
    record Read(String format, List<TraceEntry> entries, long skipped) {}

    static Read read(Path file, String format, boolean skip) {
        try (TraceReader reader = TraceReader.open(file, format, skip, 512)) {
            List<TraceEntry> entries = new ArrayList<>();
            for (TraceEntry entry = reader.next(); entry != null; entry = reader.next()) {
                entries.add(entry);
            }
            return new Read(reader.format(), entries, reader.skippedLines());
        }
    }

    static List<TraceEntry> entries(Path file, String format) {
        return read(file, format, false).entries();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
