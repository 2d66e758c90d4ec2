package dev.servesim.runner;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.runner.config.ConfigMappers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** How binding problems are worded: the key path of a Jackson error, the value found, the type expected. */
final class BindingMessages {

    private BindingMessages() {}

    static JsonNode valueAt(JsonNode root, JsonMappingException e) {
        JsonNode node = root;
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (node == null) {
                return null;
            }
            node = reference.getFieldName() != null ? node.get(reference.getFieldName()) : node.get(reference.getIndex());
        }
        return node == root ? null : node;
    }

    static String shortText(JsonNode value) {
        String text = value.isContainerNode() ? (value.isArray() ? "a list" : "a mapping") : "'" + value.asText() + "'";
        return text.length() > 60 ? text.substring(0, 57) + "...'" : text;
    }

    static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String join(String parent, String child) {
        if (parent.isEmpty()) {
            return child;
        }
        if (child.isEmpty()) {
            return parent;
        }
        return child.startsWith("[") ? parent + child : parent + "." + child;
    }

    static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            // each value as the binder reads it (an enum may name its values with @JsonValue)
            List<String> values = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                values.add(ConfigMappers.json().valueToTree(constant).asText());
            }
            return "one of " + values;
        }
        return "a mapping";
    }

    static String joinSorted(Collection<Object> values) {
        TreeSet<String> sorted = new TreeSet<>();
        values.forEach(value -> sorted.add(String.valueOf(value)));
        return sorted.isEmpty() ? "(none)" : String.join(", ", sorted);
    }

}
