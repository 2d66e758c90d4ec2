package dev.servesim.serve;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Chat messages to one prompt text, by a fixed template that needs no model files: each message becomes
 * <pre>
 * &lt;|ROLE|&gt;
 * CONTENT
 * </pre>
 * (a new line after each), and the generation prompt {@code <|assistant|>} and a new line follow the last message.
 * A message's content is a string, {@code null} (an assistant message that only calls tools: empty), or a list of
 * parts of type {@code text}, joined by new lines; other parts (images, audio) are refused. So conversations that
 * share their first messages share a prompt prefix, hence cached blocks.
 */
final class ChatTemplate {

    private ChatTemplate() {}

    /**
     * The prompt of {@code messages}, a list of {@code {role, content}} objects.
     *
     * @param addGenerationPrompt end with the assistant's turn (what a chat completion does)
     * @throws ApiError 400 naming the first malformed message
     */
    static String render(JsonNode messages, boolean addGenerationPrompt) {
        if (messages == null || messages.isNull() || messages.isMissingNode()) {
            throw ApiError.badRequest("'messages' is required", "messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiError.badRequest("'messages' must be a non-empty list of messages", "messages");
        }
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String where = "messages[" + i + "]";
            if (!message.isObject()) {
                throw ApiError.badRequest(where + " must be an object with a role and a content", "messages");
            }
            JsonNode role = message.path("role");
            if (!role.isTextual() || role.asText().isBlank()) {
                throw ApiError.badRequest(where + ".role must be a non-empty string", "messages");
            }
            prompt.append("<|").append(role.asText()).append("|>\n");
            appendContent(prompt, message.path("content"), where);
            prompt.append('\n');
        }
        if (addGenerationPrompt) {
            prompt.append("<|assistant|>\n");
        }
        return prompt.toString();
    }

    private static void appendContent(StringBuilder prompt, JsonNode content, String where) {
        if (content.isTextual()) {
            prompt.append(content.asText());
        } else if (content.isArray()) {
            for (int p = 0; p < content.size(); p++) {
                JsonNode part = content.get(p);
                String partWhere = where + ".content[" + p + "]";
                if (!part.isObject() || !"text".equals(part.path("type").asText(null))) {
                    throw ApiError.badRequest(partWhere + ": servesim serves text only; a content part must be "
                            + "{\"type\": \"text\", \"text\": ...}, got type " + part.path("type"), "messages");
                }
                if (!part.path("text").isTextual()) {
                    throw ApiError.badRequest(partWhere + ".text must be a string", "messages");
                }
                if (p > 0) {
                    prompt.append('\n');
                }
                prompt.append(part.path("text").asText());
            }
        } else if (!content.isNull() && !content.isMissingNode()) {
            throw ApiError.badRequest(where + ".content must be a string, a list of text parts or null", "messages");
        }
    }
}
