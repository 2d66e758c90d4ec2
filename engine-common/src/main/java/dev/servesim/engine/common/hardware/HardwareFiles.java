package dev.servesim.engine.common.hardware;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads GPU descriptions (YAML or JSON, the fields of {@link HardwareSpec} in snake_case) into specs, completed and
 * checked by {@link HardwareChecks}; every problem is one line naming the file, the line and the key.
 */
final class HardwareFiles {

    /** Files larger than this are refused (a GPU description is a few hundred bytes). */
    static final long MAX_FILE_BYTES = 1 << 20;
    private static final Pattern YAML_EVENT =
            Pattern.compile("<?org\\.yaml\\.snakeyaml\\.events\\.(\\w+?)Event(\\([^)]*\\))?>?");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Float, config -> config
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, config -> config
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private HardwareFiles() {}

    /**
     * The GPU described by the file {@code fileName} (relative paths against the working directory).
     *
     * @throws ServesimException (CONFIG, key {@code hardware}) if there is no such file (naming the catalog GPUs),
     *     or it cannot be read or is invalid
     */
    static HardwareSpec read(String fileName) {
        if (fileName.isBlank()) {
            throw ServesimException.config("hardware", "is empty; give a GPU name (known: " + HardwareCatalog.names()
                    + "), the path of a YAML or JSON file describing one, or such a description as a mapping");
        }
        Path path;
        try {
            path = Path.of(fileName);
        } catch (InvalidPathException e) {
            throw unknown(fileName);
        }
        if (!Files.exists(path)) {
            throw unknown(fileName);
        }
        String where = "hardware: " + path;
        if (Files.isDirectory(path)) {
            throw new ServesimException(ErrorKind.CONFIG, where + " is a directory; expected a YAML or JSON file"
                    + " describing one GPU");
        }
        if (!Files.isRegularFile(path)) {
            throw new ServesimException(ErrorKind.CONFIG, where + " is not a regular file");
        }
        String text;
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new ServesimException(ErrorKind.CONFIG, where + " is larger than "
                        + MAX_FILE_BYTES + " bytes; a GPU description is a short YAML or JSON mapping");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ServesimException(ErrorKind.CONFIG, where + " is not UTF-8 text; expected a YAML or JSON"
                    + " mapping describing one GPU");
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": cannot read: " + e.getMessage());
        }
        return parse(text, where);
    }

    /**
     * Parses and completes a description.
     *
     * @param where what to name in errors, e.g. {@code hardware: gpus/my-gpu.yaml}
     */
    static HardwareSpec parse(String text, String where) {
        HardwareSpec spec;
        try {
            // the shape first: a scalar would otherwise bind as a GPU name (HardwareSpec.valueOf)
            JsonNode tree = YAML.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                spec = null;
            } else if (!tree.isObject()) {
                throw new ServesimException(ErrorKind.CONFIG, where + ": expected a mapping with name, memory_gib,"
                        + " memory_bandwidth_tb_per_second, dense_tflops, ..., got " + (tree.isArray() ? "a list"
                        : "a single value"));
            } else {
                spec = YAML.readValue(text, HardwareSpec.class);
            }
        } catch (JsonMappingException e) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": " + describe(e, text));
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": " + location(e.getLocation())
                    + unindentedLines(e.getOriginalMessage()));
        } catch (ServesimException e) {
            throw e;
        } catch (RuntimeException e) {
            // SnakeYAML's own limits (document size, nesting) surface as unchecked exceptions
            throw new ServesimException(ErrorKind.CONFIG, where + ": " + unindentedLines(e.getMessage()));
        }
        if (spec == null) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": is empty; expected a mapping"
                    + " with name, memory_gib, memory_bandwidth_tb_per_second, dense_tflops, ...");
        }
        if (spec.name() == null) {
            throw new ServesimException(ErrorKind.CONFIG, where + ": name: is required");
        }
        try {
            return HardwareChecks.complete(spec, "");
        } catch (ServesimException e) {
            throw new ServesimException(e.kind(), where + ": " + e.getMessage());
        }
    }


    private static ServesimException unknown(String name) {
        return ServesimException.config("hardware", "unknown GPU '" + name + "': no catalog GPU has this name and"
                + " there is no such file (relative paths are resolved against the working directory); known: "
                + HardwareCatalog.names());
    }

    private static String describe(JsonMappingException e, String text) {
        StringBuilder path = new StringBuilder();
        List<String> keys = new ArrayList<>();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                keys.add(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        String message = readable(firstLine(e.getOriginalMessage()));
        if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown key; known keys: " + String.join(", ", unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().toList());
        } else if (e instanceof ValueInstantiationException && e.getCause() instanceof ServesimException cause) {
            message = cause.getMessage();
        } else if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
            // a value that names none of a few names (topology); the key is the path
            message = cause.getMessage();
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            message = "expected " + expected(mismatch.getTargetType());
        }
        // the parser's position is past the key (a record's own check runs at the end of its mapping), so the
        // line is that of the key itself, when there is one
        boolean recordCheck = e instanceof ValueInstantiationException && e.getCause() instanceof ServesimException;
        int line = keys.isEmpty() || recordCheck ? 0 : lineOfKey(text, keys);
        return (line > 0 ? "line " + line + ": " : "") + (path.length() == 0 ? "" : path + ": ") + message;
    }

    /** The line of the key at {@code keys} (nested mappings), or 0 if it cannot be found. */
    private static int lineOfKey(String text, List<String> keys) {
        try (JsonParser parser = YAML.createParser(text)) {
            List<String> path = new ArrayList<>();
            int depth = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> {
                        depth--;
                        while (path.size() > depth) {
                            path.remove(path.size() - 1);
                        }
                    }
                    case FIELD_NAME -> {
                        while (path.size() >= depth) {
                            path.remove(path.size() - 1);
                        }
                        while (path.size() < depth - 1) {
                            path.add(""); // a list between mappings
                        }
                        path.add(parser.currentName());
                        if (path.equals(keys)) {
                            return parser.currentTokenLocation().getLineNr();
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0; // the error itself is reported without a line
        }
        return 0;
    }

    /** Jackson's YAML messages name SnakeYAML's event classes; users wrote a mapping, a list or a value. */
    private static String readable(String message) {
        Matcher event = YAML_EVENT.matcher(message);
        StringBuilder out = new StringBuilder();
        while (event.find()) {
            String kind = switch (event.group(1)) {
                case "MappingStart", "MappingEnd" -> "a mapping";
                case "SequenceStart", "SequenceEnd" -> "a list";
                case "Alias" -> "an alias";
                default -> "a value";
            };
            event.appendReplacement(out, kind);
        }
        event.appendTail(out);
        return out.toString();
    }

    private static String expected(Class<?> type) {
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                values.add(YAML.convertValue(constant, String.class));
            }
            return "one of " + values;
        }
        return "a mapping";
    }

    private static String location(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : "line " + location.getLineNr() + ": ";
    }

    /**
     * The lines of a parser's message that are not indented, joined: SnakeYAML's context and problem without the
     * echoed source and its position lines.
     */
    private static String unindentedLines(String text) {
        if (text == null) {
            return "invalid";
        }
        List<String> lines = text.lines().filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .toList();
        return readable(lines.isEmpty() ? firstLine(text.strip()) : String.join("; ", lines));
    }

    private static String firstLine(String text) {
        return text == null ? "invalid" : text.lines().findFirst().orElse("invalid");
    }
}
