package dev.servesim.loadgen;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one-line message of a server's error answer: OpenAI's and vLLM's shapes, FastAPI's, or the text itself. */
final class ErrorBodies {

    private static final int MAX_LENGTH = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBodies() {}

    /** The message of an error body (JSON or text), on one line. */
    static String message(String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode root = JSON.readTree(text);
                if (root != null && root.isObject()) {
                    return message(root);
                }
            } catch (JacksonException e) {
                // not JSON after all: the text is the message
            }
        }
        return text.isEmpty() ? "(no message)" : shortened(text);
    }

    /**
     * The message of a parsed error: {@code {"error": {"message"}}} (OpenAI, vLLM), {@code {"message"}} (older vLLM),
     * {@code {"detail"}} (FastAPI), else the JSON itself.
     */
    static String message(JsonNode root) {
        JsonNode error = root.path("error");
        for (JsonNode candidate : new JsonNode[] {error.path("message"), error, root.path("message"),
                root.path("detail")}) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                return shortened(candidate.asText());
            }
        }
        return shortened(root.toString());
    }

    /** {@code text} on one line, at most {@value #MAX_LENGTH} characters. */
    static String shortened(String text) {
        String line = text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
        return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH) + "..." : line;
    }
}
