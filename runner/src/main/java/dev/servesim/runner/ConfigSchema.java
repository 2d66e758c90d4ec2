package dev.servesim.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ExtensionFactory;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.config.ConfigMappers;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Schema (draft 2020-12) of the whole configuration, including every registered plugin's section, derived from
 * the configuration records: key names as the binder reads them (snake_case), types, and defaults (from the record
 * built with every key absent). Editors use it to complete and check YAML.
 */
public final class ConfigSchema {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private ConfigSchema() {}

    /** The schema as pretty-printed JSON. */
    public static String generate(PluginRegistry registry) {
        try {
            return ConfigMappers.json().writerWithDefaultPrettyPrinter().writeValueAsString(tree(registry)) + "\n";
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.INVARIANT, "cannot write the schema: " + e, e);
        }
    }

    /** The schema as a tree. */
    public static ObjectNode tree(PluginRegistry registry) {
        return new Generator().schema(registry);
    }

    /** One generation: nested records become {@code $defs} entries referenced by {@code $ref}, so recursion ends. */
    private static final class Generator {

        private final ObjectNode defs = ConfigMappers.json().createObjectNode();
        private final Map<Class<?>, String> defNames = new HashMap<>();

        ObjectNode schema(PluginRegistry registry) {
            ObjectNode schema = ConfigMappers.json().createObjectNode();
            schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            schema.put("title", "servesim run configuration");
            schema.put("type", "object");
            schema.put("additionalProperties", false);
            ObjectNode properties = schema.putObject("properties");
            ObjectNode settings = record(RunSettings.class);
            settings.get("properties").properties().forEach(field -> properties.set(field.getKey(), field.getValue()));
            ((ObjectNode) properties.get("cost")).put("description", "price of a GPU-hour in US dollars for the summary's"
                    + " cost figures (resources.cost); default: a built-in table of approximate on-demand prices");
            properties.set("framework", section(registry, ExtensionKind.FRAMEWORK));
            properties.set("cache", section(registry, ExtensionKind.CACHE));
            properties.set("workload", section(registry, ExtensionKind.WORKLOAD));
            ObjectNode sinks = properties.putObject("sinks");
            sinks.put("type", "array");
            sinks.put("description", "metric sinks, by name or as a mapping with 'name' and settings");
            ArrayNode sinkChoices = sinks.putObject("items").putArray("anyOf");
            ObjectNode byName = sinkChoices.addObject();
            byName.put("type", "string");
            registry.names(ExtensionKind.SINK).forEach(byName.putArray("enum")::add);
            sinkChoices.add(section(registry, ExtensionKind.SINK));
            ObjectNode cluster = record(ClusterSettings.class);
            cluster.put("description", "engine replicas behind a router");
            ((ObjectNode) cluster.get("properties")).set("router", section(registry, ExtensionKind.ROUTER));
            properties.set("cluster", cluster);
            schema.putArray("required").add("framework").add("workload");
            if (!defs.isEmpty()) {
                schema.set("$defs", defs);
            }
            return schema;
        }

        private ObjectNode section(PluginRegistry registry, ExtensionKind kind) {
            ObjectNode node = ConfigMappers.json().createObjectNode();
            node.put("type", "object");
            node.put("description", kind.label() + ", chosen by '" + kind.selector() + "'");
            ObjectNode selector = node.putObject("properties").putObject(kind.selector());
            registry.names(kind).forEach(selector.putArray("enum")::add);
            node.putArray("required").add(kind.selector());
            ArrayNode cases = node.putArray("allOf");
            for (RegisteredFactory factory : registry.factories(kind)) {
                ObjectNode branch = cases.addObject();
                branch.putObject("if").putObject("properties").putObject(kind.selector()).put("const", factory.name());
                ObjectNode then = record(factory.factory().configType(), resolvedDefaults(factory.factory()));
                then.put("description", factory.factory().description());
                ((ObjectNode) then.get("properties")).putObject(kind.selector()).put("const", factory.name());
                branch.set("then", then);
            }
            return node;
        }

        private ObjectNode record(Class<?> type) {
            return record(type, defaults(type));
        }

        private ObjectNode record(Class<?> type, JsonNode defaults) {
            ObjectNode node = ConfigMappers.json().createObjectNode();
            node.put("type", "object");
            node.put("additionalProperties", false);
            ObjectNode properties = node.putObject("properties");
            for (RecordComponent component : type.getRecordComponents()) {
                String key = SNAKE.translate(component.getName());
                ObjectNode property = type(component.getGenericType());
                if (defaults != null && defaults.hasNonNull(key)) {
                    property.set("default", defaults.get(key));
                }
                properties.set(key, property);
            }
            return node;
        }

        private ObjectNode type(Type type) {
            ObjectNode node = ConfigMappers.json().createObjectNode();
            Class<?> raw = type instanceof ParameterizedType parameterized
                    ? (Class<?>) parameterized.getRawType() : type instanceof Class<?> c ? c : Object.class;
            if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
                node.put("type", "integer");
            } else if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
                node.put("type", "number");
            } else if (raw == Boolean.class || raw == boolean.class) {
                node.put("type", "boolean");
            } else if (raw == String.class) {
                node.put("type", "string");
            } else if (raw.isEnum()) {
                ArrayNode values = node.putArray("enum");
                for (Object constant : raw.getEnumConstants()) {
                    // as the binder reads and writes it (an enum may name its values with @JsonValue)
                    values.add(ConfigMappers.json().valueToTree(constant));
                }
            } else if (List.class.isAssignableFrom(raw)) {
                node.put("type", "array");
                if (type instanceof ParameterizedType parameterized) {
                    node.set("items", type(parameterized.getActualTypeArguments()[0]));
                }
            } else if (Map.class.isAssignableFrom(raw)) {
                node.put("type", "object");
                if (type instanceof ParameterizedType parameterized) {
                    node.set("additionalProperties", type(parameterized.getActualTypeArguments()[1]));
                }
            } else if (raw.isRecord() && hasTextFactory(raw)) {
                // bound from a scalar through valueOf (e.g. a GPU name or file path) or from a mapping
                node.put("description", "a name or file path (string), or a mapping with the keys of "
                        + raw.getSimpleName());
                ArrayNode choices = node.putArray("anyOf");
                choices.addObject().put("type", "string");
                choices.add(reference(raw));
            } else if (raw.isRecord() && hasNumberFactory(raw)) {
                // bound from a number through valueOf(double) (e.g. a constant distribution) or from a mapping
                node.put("description", "a number, or a mapping with the keys of " + raw.getSimpleName());
                ArrayNode choices = node.putArray("anyOf");
                choices.addObject().put("type", "number");
                choices.add(reference(raw));
            } else if (raw.isRecord()) {
                return reference(raw);
            }
            return node;
        }

        private ObjectNode reference(Class<?> type) {
            String name = defNames.get(type);
            if (name == null) {
                name = type.getSimpleName();
                while (defs.has(name)) {
                    name = name + "_";
                }
                defNames.put(type, name);
                defs.putObject(name);
                defs.set(name, record(type));
            }
            return ConfigMappers.json().createObjectNode().put("$ref", "#/$defs/" + name);
        }

    }

    /**
     * True if {@code type} has a public static {@code valueOf(String)} returning it: Jackson then binds a scalar
     * through it, so the key takes a string as well as a mapping.
     */
    static boolean hasTextFactory(Class<?> type) {
        try {
            Method factory = type.getMethod("valueOf", String.class);
            return Modifier.isStatic(factory.getModifiers()) && type.isAssignableFrom(factory.getReturnType());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * True if {@code type} has a public static {@code valueOf(double)} returning it: Jackson then binds a number
     * through it, so the key takes a number as well as a mapping.
     */
    static boolean hasNumberFactory(Class<?> type) {
        try {
            Method factory = type.getMethod("valueOf", double.class);
            return Modifier.isStatic(factory.getModifiers()) && type.isAssignableFrom(factory.getReturnType());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * The factory's effective default configuration ({@code ExtensionFactory.resolve} of its record built with every
     * component absent), as a tree; null if that is not a valid configuration.
     */
    private static <C extends Record> JsonNode resolvedDefaults(ExtensionFactory<C> factory) {
        C empty = empty(factory.configType());
        if (empty == null) {
            return null;
        }
        try {
            return ConfigMappers.json().valueToTree(factory.resolve(empty));
        } catch (RuntimeException e) {
            return null; // required keys, or a default the factory cannot resolve: no complete default
        }
    }

    /** The record built with every component absent, as a tree; null if that is not a valid configuration. */
    private static JsonNode defaults(Class<?> type) {
        Object empty = empty(type);
        return empty == null ? null : ConfigMappers.json().valueToTree(empty);
    }

    /** The record built with every component absent; null if that is not a valid configuration. */
    private static <T> T empty(Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            if (types[i].isPrimitive()) {
                return null;
            }
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // required keys: no complete default
        }
    }
}
