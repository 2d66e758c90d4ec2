package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * The turns of one ShareGPT conversation, read from its JSON object. Speakers: {@code human} and {@code user} ask;
 * {@code gpt}, {@code chatgpt}, {@code bard}, {@code bing}, {@code assistant} and {@code model} reply;
 * {@code system} only adds to what is said. Each reply that follows a human message is a turn: its prompt is every
 * message before it, its output the reply. Lengths are approximate tokens: {@link #CHARS_PER_TOKEN} characters (UTF-16
 * units) a token, rounded up, the rule of thumb for English text with GPT tokenizers; deterministic, and no tokenizer
 * is needed. The prompt's full blocks of {@link #BLOCK_SIZE} tokens get block hashes from the conversation's index and
 * the block's position, so every turn shares its history with the turns before it.
 *
 * <p>A fault (an unknown speaker, a message that is not text) is kept with its line and the rest of the object read
 * past, so the conversation can be skipped whole. The turns' prompts may add up to at most
 * {@link #MAX_CONVERSATION_TOKENS} tokens, which bounds the hashes held for one conversation.
 */
final class ShareGptTurns {

    static final int CHARS_PER_TOKEN = 4;
    static final int BLOCK_SIZE = 16;
    static final long MAX_CONVERSATION_TOKENS = 1 << 25;

    private int[] prompts = new int[16];
    private int[] outputs = new int[16];
    private int count;
    private long index;
    private String fault;
    private String faultField;
    private long faultLine;

    /** Reads the conversation object the parser is at (its start), up to its end; the conversation's index. */
    void read(JsonParser json, long conversation) throws IOException {
        index = conversation;
        count = 0;
        fault = null;
        boolean seen = false;
        long said = 0;
        long total = 0;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            if (!name.equals("conversations")) {
                json.skipChildren();
                continue;
            }
            seen = true;
            if (json.currentToken() != JsonToken.START_ARRAY) {
                fail(json, "conversations", "expected an array of messages, got " + JsonValues.describe(json));
                json.skipChildren();
                continue;
            }
            boolean afterHuman = false;
            for (int m = 0; json.nextToken() != JsonToken.END_ARRAY; m++) {
                String field = "conversations[" + m + "]";
                Message message = message(json, field);
                if (message == null || fault != null) {
                    continue;
                }
                long tokens = (message.chars() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
                if (message.role() == Role.REPLY && afterHuman) {
                    total += said;
                    if (said > Integer.MAX_VALUE || total > MAX_CONVERSATION_TOKENS) {
                        fail(json, field, "the conversation is too long to replay: its turns' prompts add up to more "
                                + "than " + MAX_CONVERSATION_TOKENS + " tokens");
                        continue;
                    }
                    add((int) said, (int) tokens);
                }
                afterHuman = message.role() == Role.HUMAN;
                said += tokens;
            }
        }
        if (!seen && fault == null) {
            fail(json, "conversations", "is missing");
        }
    }

    /** One message, or {@code null} after a fault. */
    private Message message(JsonParser json, String field) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            fail(json, field, "expected a message {\"from\", \"value\"}, got " + JsonValues.describe(json));
            json.skipChildren();
            return null;
        }
        Role role = null;
        long chars = -1;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (name.equals("from") && value == JsonToken.VALUE_STRING) {
                role = Role.of(json.getText());
                if (role == null) {
                    fail(json, field + ".from", "unknown speaker '" + LineParser.shown(json.getText()) + "'; one of "
                            + "human, user, gpt, chatgpt, bard, bing, assistant, model, system");
                }
            } else if (name.equals("value") && value == JsonToken.VALUE_STRING) {
                // getText, not getTextLength: only it checks the length against the parser's limit
                chars = json.getText().length();
            } else if (name.equals("from") || name.equals("value")) {
                fail(json, field + "." + name, "expected a string, got " + JsonValues.describe(json));
                json.skipChildren();
            } else {
                json.skipChildren();
            }
        }
        if (role == null || chars < 0) {
            fail(json, field + (role == null ? ".from" : ".value"), "is missing");
            return null;
        }
        return new Message(role, chars);
    }

    private void fail(JsonParser json, String field, String problem) {
        if (fault == null) {
            fault = problem;
            faultField = field;
            faultLine = JsonValues.line(json);
        }
    }

    private void add(int prompt, int output) {
        if (count == prompts.length) {
            prompts = Arrays.copyOf(prompts, count * 2);
            outputs = Arrays.copyOf(outputs, count * 2);
        }
        prompts[count] = prompt;
        outputs[count] = output;
        count++;
    }

    int count() {
        return count;
    }

    int prompt(int turn) {
        return prompts[turn];
    }

    int output(int turn) {
        return outputs[turn];
    }

    /** The hashes of the prompt's full blocks: the same for every turn up to the shorter one's length. */
    long[] hashes(int turn) {
        long[] hashes = new long[prompts[turn] / BLOCK_SIZE];
        long base = mix(index ^ 0x5348415245475054L);
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = mix(base + i);
        }
        return hashes;
    }

    String fault() {
        return fault;
    }

    String faultField() {
        return faultField;
    }

    long faultLine() {
        return faultLine;
    }

    // SplitMix64 finaliser
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private enum Role {
        HUMAN, REPLY, SYSTEM;

        static Role of(String from) {
            return switch (from) {
                case "human", "user" -> HUMAN;
                case "gpt", "chatgpt", "bard", "bing", "assistant", "model" -> REPLY;
                case "system" -> SYSTEM;
                default -> null;
            };
        }
    }

    private record Message(Role role, long chars) {}
}
