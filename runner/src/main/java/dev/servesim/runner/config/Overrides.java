package dev.servesim.runner.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@code --set path.to.key=value} overrides to a configuration tree before binding. The value is read as a
 * YAML scalar or flow collection ({@code 8}, {@code true}, {@code fcfs}, {@code [1, 2]}); list elements are
 * addressed as {@code sinks[0].file}. Missing intermediate mappings are created.
 */
public final class Overrides {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_\\-]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private Overrides() {}

    /** Applies each override in order. */
    public static void apply(ConfigSource source, List<String> overrides) {
        for (String override : overrides) {
            applyOne(source, override);
        }
    }

    private static void applyOne(ConfigSource source, String override) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw usage(override, "expected key=value, e.g. --set framework.max_num_seqs=64");
        }
        String path = override.substring(0, equals).trim();
        JsonNode value = parseValue(override.substring(equals + 1));
        List<Object> steps = new ArrayList<>();
        for (String segment : path.split("\\.", -1)) {
            Matcher matcher = SEGMENT.matcher(segment);
            if (!matcher.matches()) {
                throw usage(override, "'" + segment + "' is not a key name");
            }
            steps.add(matcher.group(1));
            Matcher index = INDEX.matcher(matcher.group(2));
            while (index.find()) {
                steps.add(Integer.parseInt(index.group(1)));
            }
        }
        JsonNode node = source.root();
        for (int i = 0; i < steps.size() - 1; i++) {
            node = child(node, steps.get(i), steps.get(i + 1), override);
        }
        Object last = steps.get(steps.size() - 1);
        if (last instanceof String key && node instanceof ObjectNode object) {
            object.set(key, value);
        } else if (last instanceof Integer index && node instanceof ArrayNode array && index <= array.size()) {
            if (index == array.size()) {
                array.add(value);
            } else {
                array.set(index, value);
            }
        } else {
            throw usage(override, "cannot set " + path + ": its parent is not a " + (last instanceof String ? "mapping" : "list"));
        }
        source.markOverridden(path, override);
    }

    private static JsonNode child(JsonNode node, Object step, Object next, String override) {
        JsonNode child;
        if (step instanceof String key && node instanceof ObjectNode object) {
            child = object.get(key);
            if (child == null || child.isNull()) {
                child = next instanceof Integer ? object.putArray(key) : object.putObject(key);
            }
        } else if (step instanceof Integer index && node instanceof ArrayNode array) {
            if (index > array.size()) {
                throw usage(override, "list index " + index + " is past the end (size " + array.size() + ")");
            }
            child = index == array.size() ? array.addObject() : array.get(index);
        } else {
            throw usage(override, "'" + step + "' does not match the configuration's structure");
        }
        if (!child.isContainerNode()) {
            throw usage(override, "'" + step + "' holds a value, not a mapping or list");
        }
        return child;
    }

    private static JsonNode parseValue(String text) {
        if (text.isBlank()) {
            return TextNode.valueOf(text);
        }
        try {
            JsonNode node = ConfigMappers.yaml().readTree(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    private static ServesimException usage(String override, String problem) {
        return new ServesimException(ErrorKind.CONFIG, "--set " + override + ": " + problem);
    }
}
