package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the completed requests of a loadgen run as a vllm-vcr trace: a meta line {@code {"meta": {...}}}, then one
 * JSON line per completed request in the order they finished (gzip when the name ends in {@code .gz}). The file is
 * written beside its final name ({@code .tmp}) and moved into place by {@link #finish()}, so it is either complete or
 * absent. Written on the run's thread.
 */
final class TraceWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Path temporary;
    private final ObjectNode meta;
    private JsonGenerator out;
    private long records;

    /** @param meta the keys of the meta line ({@code model}, {@code source}, {@code block_size}, ...) */
    TraceWriter(Path file, ObjectNode meta) {
        this.file = requireNonNull(file, "file is null");
        this.temporary = file.resolveSibling(file.getFileName() + ".tmp");
        this.meta = requireNonNull(meta, "meta is null").deepCopy();
    }

    Path file() {
        return file;
    }

    long records() {
        return records;
    }

    /** Appends one completed request; the file is created with the first one. */
    void write(TraceRecord record) {
        try {
            JsonGenerator json = open();
            json.writeStartObject();
            json.writeNumberField("prompt_tokens", record.promptTokens());
            json.writeNumberField("cached_tokens", record.cachedTokens());
            json.writeNumberField("output_tokens", record.outputTokens());
            json.writeNumberField("ttft_ms", micros(record.ttftMs()));
            json.writeArrayFieldStart("itl_ms");
            for (double gap : record.itlMs()) {
                json.writeNumber(micros(gap));
            }
            json.writeEndArray();
            if (record.itlTokens().length > 0) {
                json.writeFieldName("itl_tokens");
                json.writeArray(record.itlTokens(), 0, record.itlTokens().length);
            }
            json.writeNumberField("concurrency", record.concurrency());
            json.writeNumberField("arrival_ms", micros(record.arrivalMs()));
            json.writeArrayFieldStart("block_hashes");
            for (long hash : record.blockHashes()) {
                // unsigned 64-bit: values above 2^63 occur
                json.writeNumber(Long.toUnsignedString(hash));
            }
            json.writeEndArray();
            json.writeStringField("finish_reason", record.finishReason());
            json.writeEndObject();
            records++;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Completes the file (only the meta line if no request completed) and moves it into place. */
    void finish() {
        try {
            JsonGenerator json = open();
            json.writeRaw('\n');
            json.close();
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            abort();
            throw failure(e);
        }
    }

    /** Removes what was written (the run wrote nothing else). */
    void abort() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // removed below either way
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // nothing more to do: the file was never moved into place
        }
    }

    private JsonGenerator open() throws IOException {
        if (out == null) {
            OutputStream stream = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) {
                stream = new GZIPOutputStream(stream, 1 << 16);
            }
            out = JSON.getFactory().createGenerator(stream);
            out.setRootValueSeparator(new SerializedString("\n"));
            ObjectNode line = JSON.createObjectNode();
            line.set("meta", meta);
            JSON.writeTree(out, line);
        }
        return out;
    }

    private static double micros(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    private ServesimException failure(IOException e) {
        return new ServesimException(ErrorKind.IO, file + ": cannot write the trace: " + e.getMessage(), e);
    }
}
