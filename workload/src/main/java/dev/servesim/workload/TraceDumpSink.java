package dev.servesim.workload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.workload.trace.TraceLineSorter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Writes the run's measured trace in the servesim JSON-lines format (docs/trace-format.md): a meta line, then one
 * line per request sorted by arrival (then id), with its block hashes and what was measured. Requests finish out of
 * order, so lines are sorted with bounded memory ({@link TraceLineSorter}) and the file is written to a temporary
 * file moved into place when the run finishes.
 */
final class TraceDumpSink implements MetricSink {

    private final Path file;
    private final Path temporary;
    private final int blockSize;
    private final String runName;
    private final TraceLineSorter sorter;
    private final JsonFactory json = new JsonFactory();
    private final StringWriter text = new StringWriter(1024);

    TraceDumpSink(Path file, int blockSize, String runName, long bufferChars) {
        this.file = file;
        this.temporary = file.resolveSibling(file.getFileName() + ".tmp");
        this.blockSize = blockSize;
        this.runName = runName;
        this.sorter = new TraceLineSorter(file, bufferChars);
    }

    /** Creates the file's folder and its temporary file, so that a place it cannot write fails the run at once. */
    @Override
    public void onRunStarted() {
        check(file);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.newBufferedWriter(temporary, StandardCharsets.UTF_8).close();
        } catch (IOException e) {
            throw ServesimException.config("sinks.trace-dump.file", "cannot write " + file + ": " + reason(e));
        }
    }

    /**
     * Checks, without writing anything, that the file's folder exists or can be created and can be written, and that
     * the file is not a folder.
     */
    static void check(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw ServesimException.config("sinks.trace-dump.file", file + " is a folder; name a file");
        }
        Path existing = absolute.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw ServesimException.config("sinks.trace-dump.file", "cannot write " + file + ": "
                    + (existing == null ? "no folder" : existing + (Files.isDirectory(existing) ? " is not writable"
                    : " is not a folder")));
        }
    }

    private static String reason(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "AccessDeniedException" -> "permission denied";
            case "NoSuchFileException" -> "no such folder";
            case "FileSystemException" -> e.getMessage() == null ? "file system error" : e.getMessage();
            default -> e.getMessage() == null ? kind : e.getMessage();
        };
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        sorter.add(record.request().arrivalTime(), record.request().id(), line(record));
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        try (BufferedWriter writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            writer.write(metaLine());
            writer.write('\n');
            sorter.writeTo(writer);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            sorter.close();
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A run that failed before its trace was written leaves neither the temporary file nor sorted runs behind. */
    @Override
    public void close() {
        try {
            sorter.close();
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // left behind: nothing more can be done
            }
        }
    }

    private String metaLine() {
        text.getBuffer().setLength(0);
        try (JsonGenerator out = json.createGenerator(text)) {
            out.writeStartObject();
            out.writeNumberField("servesim_trace", 1);
            out.writeNumberField("block_size", blockSize);
            out.writeStringField("run", runName);
            out.writeEndObject();
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot format the meta line: " + e.getMessage(), e);
        }
        return text.toString();
    }

    private String line(RequestRecord record) {
        Request request = record.request();
        text.getBuffer().setLength(0);
        try (JsonGenerator out = json.createGenerator(text)) {
            out.writeStartObject();
            out.writeNumberField("id", request.id());
            out.writeNumberField("session_id", request.sessionId());
            out.writeNumberField("turn", request.turn());
            out.writeNumberField("arrival", request.arrivalTime());
            out.writeNumberField("prompt_tokens", request.promptTokens());
            out.writeNumberField("output_tokens", request.maxOutputTokens());
            out.writeNumberField("priority", request.priority());
            out.writeStringField("profile", request.profile());
            out.writeArrayFieldStart("block_hashes");
            BlockHashChain chain = BlockHashChain.of(request.prompt(), blockSize);
            for (int i = 0; i < chain.fullBlocks(); i++) {
                out.writeNumber(chain.hash(i));
            }
            out.writeEndArray();
            out.writeStringField("status", record.status().name().toLowerCase(Locale.ROOT));
            if (!record.reason().isEmpty()) {
                out.writeStringField("reason", record.reason());
            }
            out.writeNumberField("replica", record.replica());
            out.writeNumberField("cached_tokens", record.cachedTokens());
            out.writeNumberField("generated_tokens", record.outputTokens());
            out.writeNumberField("preemptions", record.preemptions());
            seconds(out, "queue_time", record.queueTime());
            seconds(out, "ttft", record.ttft());
            seconds(out, "mean_itl", record.meanItl());
            seconds(out, "max_itl", record.maxItl());
            seconds(out, "e2e", record.e2e());
            out.writeEndObject();
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot format request " + request.id() + ": " + e.getMessage(),
                    e);
        }
        return text.toString();
    }

    /** A time that never happened ({@code NaN}) is left out. */
    private static void seconds(JsonGenerator out, String name, double value) throws IOException {
        if (Double.isFinite(value)) {
            out.writeNumberField(name, value);
        }
    }
}
