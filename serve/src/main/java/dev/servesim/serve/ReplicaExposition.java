package dev.servesim.serve;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's exposition (the Prometheus text format of the prometheus sink, which labels the engine's own families with
 * the replica's number: vLLM's with {@code engine}, SGLang's with {@code dp_rank}) cut into each replica's part, as a
 * single server exposes its metrics: the engine's families only ({@code vllm:} or {@code sglang:}), with that
 * replica's data points only, relabelled {@code engine="0"} (a vLLM server has one engine core) or {@code dp_rank="0"}
 * (an SGLang server without data parallelism) and {@code model_name} = the port's served model. Other families
 * (servesim's, the run's) and other replicas' data points are left out, and so is a family without data points of the
 * replica.
 *
 * <p>The exposition is read once ({@link #split}), however many replicas' parts are taken from it.
 */
final class ReplicaExposition {

    /** The prefix of vLLM's metric names. */
    static final String VLLM = "vllm:";
    /** The prefix of SGLang's metric names. */
    static final String SGLANG = "sglang:";
    private static final String MODEL_LABEL = "model_name=\"";
    // the header lines of the engines' families
    private static final String[] ENGINE_HEADERS = {"# HELP " + VLLM, "# TYPE " + VLLM, "# HELP " + SGLANG,
        "# TYPE " + SGLANG};

    // each replica's part, by replica number; null where the exposition has none
    private final List<StringBuilder> parts;
    // the model_name value of the exposition, escaped, or null if it has none
    private final String modelName;

    private ReplicaExposition(List<StringBuilder> parts, String modelName) {
        this.parts = parts;
        this.modelName = modelName;
    }

    /** Replica {@code replica}'s part of {@code exposition}, as its own server would expose it. */
    static String of(String exposition, int replica, String modelName) {
        return split(exposition).replica(replica, modelName);
    }

    /** Cuts {@code exposition} into the replicas' parts. */
    static ReplicaExposition split(String exposition) {
        Splitter splitter = new Splitter();
        int start = 0;
        while (start < exposition.length()) {
            int end = exposition.indexOf('\n', start);
            if (end < 0) {
                end = exposition.length();
            }
            splitter.line(exposition, start, end);
            start = end + 1;
        }
        return new ReplicaExposition(splitter.parts, splitter.modelName);
    }

    /** Replica {@code replica}'s part, its model named {@code servedModel}; empty if the exposition has none. */
    String replica(int replica, String servedModel) {
        StringBuilder part = replica < parts.size() ? parts.get(replica) : null;
        if (part == null) {
            return "";
        }
        String text = part.toString();
        String served = escape(servedModel);
        return modelName == null || modelName.equals(served) ? text
                : text.replace(MODEL_LABEL + modelName + "\"", MODEL_LABEL + served + "\"");
    }

    /** A label value as the text format writes it. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** One pass over the exposition's lines. */
    private static final class Splitter {
        final List<StringBuilder> parts = new ArrayList<>();
        // the family of each part's last line, to write a family's HELP and TYPE before its first data point there
        final List<Integer> partFamilies = new ArrayList<>();
        final StringBuilder header = new StringBuilder();
        String modelName;
        int family;
        boolean headerOpen;

        void line(String text, int start, int end) {
            if (isEngineHeader(text, start)) {
                if (!headerOpen) {
                    // a new family
                    family++;
                    header.setLength(0);
                    headerOpen = true;
                }
                header.append(text, start, end).append('\n');
                return;
            }
            headerOpen = false;
            String replicaLabel = text.startsWith(VLLM, start) ? "engine"
                    : text.startsWith(SGLANG, start) ? "dp_rank" : null;
            if (replicaLabel == null) {
                return;
            }
            int brace = text.indexOf('{', start);
            if (brace < 0 || brace > end) {
                return;
            }
            StringBuilder labels = new StringBuilder();
            int engine = -1;
            int position = brace + 1;
            while (position < end && text.charAt(position) != '}') {
                int equals = text.indexOf('=', position);
                if (equals < 0 || equals + 1 >= end || text.charAt(equals + 1) != '"') {
                    return;
                }
                String name = text.substring(position, equals).strip();
                int valueStart = equals + 2;
                int valueEnd = valueStart;
                while (valueEnd < end && text.charAt(valueEnd) != '"') {
                    valueEnd += text.charAt(valueEnd) == '\\' ? 2 : 1;
                }
                if (valueEnd >= end) {
                    return;
                }
                String value = text.substring(valueStart, valueEnd);
                if (name.equals(replicaLabel)) {
                    engine = replicaNumber(value);
                    value = "0";
                } else if (name.equals("model_name") && modelName == null) {
                    modelName = value;
                }
                if (labels.length() > 0) {
                    labels.append(',');
                }
                labels.append(name).append("=\"").append(value).append('"');
                position = valueEnd + 1;
                if (position < end && text.charAt(position) == ',') {
                    position++;
                }
            }
            if (engine < 0 || position >= end) {
                return;
            }
            StringBuilder part = part(engine);
            if (partFamilies.get(engine) != family) {
                partFamilies.set(engine, family);
                part.append(header);
            }
            part.append(text, start, brace + 1).append(labels).append(text, position, end).append('\n');
        }

        private static boolean isEngineHeader(String text, int start) {
            for (String header : ENGINE_HEADERS) {
                if (text.startsWith(header, start)) {
                    return true;
                }
            }
            return false;
        }

        private StringBuilder part(int replica) {
            while (parts.size() <= replica) {
                parts.add(null);
                partFamilies.add(-1);
            }
            if (parts.get(replica) == null) {
                parts.set(replica, new StringBuilder());
            }
            return parts.get(replica);
        }

        /** The replica number an engine or dp_rank label holds, or -1 if it holds none (or an absurd one). */
        private static int replicaNumber(String value) {
            if (value.isEmpty() || value.length() > 6) {
                return -1;
            }
            int number = 0;
            for (int i = 0; i < value.length(); i++) {
                char digit = value.charAt(i);
                if (digit < '0' || digit > '9') {
                    return -1;
                }
                number = number * 10 + digit - '0';
            }
            return number;
        }
    }
}
