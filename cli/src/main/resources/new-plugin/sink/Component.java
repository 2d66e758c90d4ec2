package {{package}};

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.RequestRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Counts requests by how they ended and writes the counts when the run ends: {@code completed N}, {@code rejected N},
 * {@code unfinished N}, one per line. The file appears whole or not at all: it is written beside its place and moved
 * there, and {@link #close()} removes what a failed write left.
 */
final class {{component}} implements MetricSink {

    private final Path file;
    private final Path partFile;
    private long completed;
    private long rejected;
    private long unfinished;

    {{component}}(Path file) {
        this.file = file;
        this.partFile = file.resolveSibling(file.getFileName() + ".part");
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        switch (record.status()) {
            case COMPLETED -> completed++;
            case REJECTED -> rejected++;
            case UNFINISHED -> unfinished++;
        }
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        String text = "completed " + completed + "\nrejected " + rejected + "\nunfinished " + unfinished + "\n";
        try {
            Files.writeString(partFile, text);
            Files.move(partFile, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, file + ": cannot write: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(partFile);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, partFile + ": cannot delete: " + e.getMessage(), e);
        }
    }
}
