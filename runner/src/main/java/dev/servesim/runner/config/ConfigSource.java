package dev.servesim.runner.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.InputFiles;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration document as a tree, with the line and column of every key so that errors can point at them.
 * Key paths are dotted, with list indices in brackets: {@code framework.max_num_seqs}, {@code sinks[1].name}.
 */
public final class ConfigSource {

    // Jackson's messages for NaN and infinities, in JSON ("Non-standard token 'NaN'") and YAML ("Malformed numeric
    // value '.nan'")
    private static final Pattern NOT_A_NUMBER = Pattern.compile(
            "(?:Non-standard token|Malformed numeric value) '([^']*)'");

    /** Largest configuration file read: a configuration is a page of YAML. */
    public static final long MAX_BYTES = 4L << 20;

    private final String origin;
    private final ObjectNode root;
    private final Map<String, String> locations;

    private ConfigSource(String origin, ObjectNode root, Map<String, String> locations) {
        this.origin = origin;
        this.root = root;
        this.locations = locations;
    }

    /** Reads a {@code .yaml}/{@code .yml} or {@code .json} file. */
    public static ConfigSource read(Path file) {
        if (!Files.exists(file)) {
            throw new ServesimException(ErrorKind.CONFIG, file + ": no such file");
        }
        String text = InputFiles.readText(file, "configuration", MAX_BYTES);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json");
        if (!json && !name.endsWith(".yaml") && !name.endsWith(".yml")) {
            throw new ServesimException(ErrorKind.CONFIG,
                    file + ": unknown configuration format; use a .yaml, .yml or .json file");
        }
        return parse(text, file.toString(), json);
    }

    /** A tree built in code (no file positions); {@code origin} names it in error messages. */
    public static ConfigSource fromTree(ObjectNode root, String origin) {
        return new ConfigSource(origin, root, new HashMap<>());
    }

    /** Parses configuration text; {@code origin} names it in error messages. */
    public static ConfigSource parse(String text, String origin, boolean json) {
        ObjectMapper mapper = json ? ConfigMappers.json() : ConfigMappers.yaml();
        JsonNode tree;
        Map<String, String> locations = new HashMap<>();
        try {
            tree = mapper.readTree(text);
            try (JsonParser parser = mapper.getFactory().createParser(text)) {
                if (parser.nextToken() != null) {
                    walk(parser, "", origin, locations);
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? origin : origin + ":" + location.getLineNr() + ":" + location.getColumnNr();
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            Matcher number = NOT_A_NUMBER.matcher(message);
            if (number.find()) {
                // NaN and infinities: Jackson refuses them, and would name its own feature flag to allow them
                String key = e.getProcessor() instanceof JsonParser parser ? keyPath(parser.getParsingContext()) : "";
                throw new ServesimException(ErrorKind.CONFIG, where + ": " + (key.isEmpty() ? "" : key + ": ")
                        + "expected a finite number, got '" + number.group(1) + "'");
            }
            throw new ServesimException(ErrorKind.CONFIG, where + ": not valid " + (json ? "JSON" : "YAML") + ": "
                    + message.replaceAll(": enable `[A-Za-z_.]+` to allow", ""));
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.CONFIG, origin + ": cannot read: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ServesimException(ErrorKind.CONFIG, origin + ": the configuration is empty");
        }
        if (!tree.isObject()) {
            throw new ServesimException(ErrorKind.CONFIG, origin + ":1:1: the configuration must be a mapping of keys");
        }
        return new ConfigSource(origin, (ObjectNode) tree, locations);
    }

    private static void walk(JsonParser parser, String path, String origin, Map<String, String> locations)
            throws IOException {
        JsonToken token = parser.currentToken();
        locations.putIfAbsent(path, at(origin, parser.currentTokenLocation()));
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String child = path.isEmpty() ? parser.currentName() : path + "." + parser.currentName();
                locations.put(child, at(origin, parser.currentTokenLocation()));
                parser.nextToken();
                walk(parser, child, origin, locations);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                walk(parser, path + "[" + index++ + "]", origin, locations);
            }
        }
    }

    /** The dotted key path of a parser position, e.g. {@code workload.stages[1].rate}. */
    private static String keyPath(JsonStreamContext context) {
        ArrayDeque<String> segments = new ArrayDeque<>();
        for (JsonStreamContext level = context; level != null && !level.inRoot(); level = level.getParent()) {
            if (level.inArray()) {
                segments.push("[" + Math.max(0, level.getCurrentIndex()) + "]");
            } else if (level.getCurrentName() != null) {
                segments.push(level.getCurrentName());
            }
        }
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append(path.length() == 0 || segment.startsWith("[") ? "" : ".").append(segment);
        }
        return path.toString();
    }

    private static String at(String origin, JsonLocation location) {
        return origin + ":" + location.getLineNr() + ":" + location.getColumnNr();
    }

    /** The document's name, e.g. its file path. */
    public String origin() {
        return origin;
    }

    /** The tree; {@link Overrides} changes it in place. */
    public ObjectNode root() {
        return root;
    }

    /**
     * Where {@code path} is written, e.g. {@code quickstart.yaml:12:3}; for a key that is absent, the nearest
     * enclosing key that is present; the origin alone if none is.
     */
    public String locate(String path) {
        String candidate = path;
        while (true) {
            String location = locations.get(candidate);
            if (location != null) {
                return location;
            }
            int cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
            if (cut <= 0) {
                return locations.getOrDefault("", origin);
            }
            candidate = candidate.substring(0, cut);
        }
    }

    void markOverridden(String path, String text) {
        locations.keySet().removeIf(key -> key.equals(path) || key.startsWith(path + ".") || key.startsWith(path + "["));
        locations.put(path, "--set " + text);
    }
}
