package dev.servesim.runner.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON has no NaN or infinity: figures that do not exist are written as null. */
public final class JsonTrees {

    private JsonTrees() {}

    /** Replaces every non-finite number in {@code node} by null, in place; returns {@code node}. */
    public static JsonNode withoutNonFinite(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNumber() && !Double.isFinite(field.getValue().doubleValue())) {
                    field.setValue(NullNode.getInstance());
                } else {
                    withoutNonFinite(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNumber() && !Double.isFinite(array.get(i).doubleValue())) {
                    array.set(i, NullNode.getInstance());
                } else {
                    withoutNonFinite(array.get(i));
                }
            }
        }
        return node;
    }
}
