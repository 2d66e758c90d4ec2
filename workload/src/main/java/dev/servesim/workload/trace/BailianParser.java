package dev.servesim.workload.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;
import java.io.IOException;
import java.util.Arrays;

/**
 * Qwen-Bailian-style JSON lines (the Alibaba Bailian usage traces of "KVCache Cache in the Wild", USENIX ATC'25, as
 * their public description gives them): {@code chat_id}, {@code parent_chat_id} (the chat this one follows up, -1 for
 * none), {@code timestamp} in <b>seconds</b> from the trace start, {@code input_length}, {@code output_length} and
 * {@code hash_ids}, prefix-chained ids of blocks of {@link #BLOCK_SIZE} tokens; the last block may be partial, so
 * there are {@code floor} or {@code ceil(input_length / 16)} of them. Other fields ({@code type}, {@code turn}) are
 * ignored. A chat's session is the first chat of its chain of parents, and its turn one more than its parent's: the
 * reader remembers the last {@link #MAX_REMEMBERED_CHATS} chats; a follow-up of a chat forgotten (or never read)
 * starts a new session.
 */
final class BailianParser implements LineParser {

    /** Tokens per {@code hash_ids} block of the Bailian traces. */
    static final int BLOCK_SIZE = 16;

    /** Chats remembered for linking follow-ups to their sessions. */
    static final int MAX_REMEMBERED_CHATS = 1 << 20;

    private final JsonFactory factory;
    private final Long2ObjectLinkedOpenHashMap<Chat> chats = new Long2ObjectLinkedOpenHashMap<>();
    private long[] buffer = new long[256];
    private final int[] count = new int[1];

    BailianParser(JsonFactory factory) {
        this.factory = factory;
    }

    @Override
    public String timeField() {
        return "timestamp";
    }

    @Override
    public TraceEntry parse(String line, long lineNumber) throws BadLineException {
        double timestamp = Double.NaN;
        long chat = Long.MIN_VALUE;
        long parent = -1;
        long input = -1;
        long output = -1;
        long[] hashes = null;
        try (JsonParser parser = factory.createParser(line)) {
            JsonValues.startObject(parser);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "timestamp" -> timestamp = LineParser.checkTime(name, JsonValues.number(parser, name));
                    case "chat_id" -> chat = JsonValues.integer(parser, name);
                    case "parent_chat_id" -> parent = JsonValues.integer(parser, name);
                    case "input_length" -> input = LineParser.checkCount(name, JsonValues.integer(parser, name));
                    case "output_length" -> output = LineParser.checkCount(name, JsonValues.integer(parser, name));
                    case "hash_ids" -> {
                        buffer = JsonValues.integers(parser, name, buffer, count);
                        hashes = Arrays.copyOf(buffer, count[0]);
                    }
                    default -> parser.skipChildren();
                }
            }
            JsonValues.endOfLine(parser);
        } catch (IOException e) {
            throw JsonValues.unparsable(e);
        }
        if (Double.isNaN(timestamp)) {
            throw new BadLineException("timestamp", "is missing");
        }
        if (chat == Long.MIN_VALUE) {
            throw new BadLineException("chat_id", "is missing (a Bailian-style trace links chats by chat_id and "
                    + "parent_chat_id; a trace with timestamps in milliseconds and no chat ids is format mooncake)");
        }
        if (chat < 0) {
            throw new BadLineException("chat_id", "must not be negative, got " + chat);
        }
        if (input < 0) {
            throw new BadLineException("input_length", "is missing");
        }
        if (output < 0) {
            throw new BadLineException("output_length", "is missing");
        }
        long full = input / BLOCK_SIZE;
        long all = (input + BLOCK_SIZE - 1) / BLOCK_SIZE;
        if (hashes == null) {
            hashes = TraceEntry.NO_HASHES;
        } else if (hashes.length != full && hashes.length != all) {
            throw new BadLineException("hash_ids", "has " + hashes.length + " ids, but input_length " + input
                    + " needs " + (full == all ? full : full + " or " + all) + " blocks of " + BLOCK_SIZE + " tokens");
        }
        Chat parentChat = parent < 0 ? null : chats.getAndMoveToLast(parent);
        Chat chatOf = parentChat == null ? new Chat(chat, 1) : new Chat(parentChat.session(), parentChat.turn() + 1);
        chats.putAndMoveToLast(chat, chatOf);
        if (chats.size() > MAX_REMEMBERED_CHATS) {
            chats.removeFirst();
        }
        return new TraceEntry(lineNumber, timestamp, (int) input, (int) output, hashes,
                hashes.length == 0 ? 0 : BLOCK_SIZE, chatOf.session(), chatOf.turn(), 0, "", Double.NaN);
    }

    /** A chat's session (the chat id of its first turn) and turn. */
    private record Chat(long session, int turn) {}
}
