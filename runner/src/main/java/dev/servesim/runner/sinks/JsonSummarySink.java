package dev.servesim.runner.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.config.ConfigMappers;
import java.nio.file.Path;

/** Writes the run summary as JSON with snake_case keys; numbers that do not exist (NaN) are written as null. */
final class JsonSummarySink implements MetricSink {

    private final Path file;

    JsonSummarySink(Path file) {
        this.file = file;
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        JsonNode tree = JsonTrees.withoutNonFinite(ConfigMappers.json().valueToTree(summary));
        try {
            String text = ConfigMappers.json().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
            OutputFiles.writeAtomically(file, text + "\n");
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
