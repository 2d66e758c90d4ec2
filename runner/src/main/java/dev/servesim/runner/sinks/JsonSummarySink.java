package dev.servesim.runner.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.config.ConfigMappers;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/** Writes the run summary as JSON with snake_case keys; numbers that do not exist (NaN) are written as null. */
final class JsonSummarySink implements MetricSink {

    private final Path file;

    JsonSummarySink(Path file) {
        this.file = file;
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        JsonNode tree = ConfigMappers.json().valueToTree(summary);
        replaceNonFinite(tree);
        try {
            String text = ConfigMappers.json().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
            OutputFiles.writeAtomically(file, text + "\n");
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void replaceNonFinite(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNumber() && !Double.isFinite(field.getValue().doubleValue())) {
                    field.setValue(NullNode.getInstance());
                } else {
                    replaceNonFinite(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                replaceNonFinite(element);
            }
        }
    }
}
