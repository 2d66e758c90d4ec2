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
    private final int blockSize;
    private final String runName;
    private final TraceLineSorter sorter;
    private final JsonFactory json = new JsonFactory();
    private final StringWriter text = new StringWriter(1024);

    TraceDumpSink(Path file, int blockSize, String runName, long bufferChars) {
        this.file = file;
        this.blockSize = blockSize;
        this.runName = runName;
        this.sorter = new TraceLineSorter(file, bufferChars);
    }

    @Override
    public void onRunStarted() {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        sorter.add(record.request().arrivalTime(), record.request().id(), line(record));
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
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
