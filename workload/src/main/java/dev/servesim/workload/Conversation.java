package dev.servesim.workload;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * The context of one session: an optional shared prefix (a system prompt), then the user input and the response of
 * every earlier turn. With accumulation, turn N+1's prompt is turn N's prompt, turn N's actual response (as the
 * response's own content, so it shares the blocks the engine filled with generated tokens) and the new input;
 * without it, every turn is the prefix and a fresh input.
 *
 * <p>No request of a session exceeds the context limit (prompt plus requested output at most
 * {@code maxModelLen}). A first turn that does not fit has its input, then its output, clipped. A later turn that does
 * not fit either ends the session ({@link Overflow#END}) or drops the oldest turns, then clips the new input
 * ({@link Overflow#TRUNCATE}: a sliding window, which gives up the cached prefix, as a chat client would).
 */
final class Conversation {

    /** What a follow-up turn does when its context would exceed the limit. */
    enum Overflow {
        END,
        TRUNCATE;

        static Overflow of(String name) {
            return "truncate".equals(name) ? TRUNCATE : END;
        }
    }

    /** Token counts of a turn after fitting it to the context; {@code null} from {@link #fit} if the session ends. */
    record Turn(int inputTokens, int outputTokens, boolean clipped) {}

    private final Segment prefix;
    private final boolean accumulate;
    private final long maxModelLen;
    // input and response segments of the turns kept in the context, oldest first
    private final ArrayList<Segment> history = new ArrayList<>();
    private long historyTokens;
    private int turns;

    /**
     * @param prefix shared leading segment, or {@code null}
     * @param accumulate whether turns carry the earlier turns' inputs and responses
     * @param maxModelLen context limit of the serving engines ({@link Integer#MAX_VALUE} for none)
     */
    Conversation(Segment prefix, boolean accumulate, int maxModelLen) {
        this.prefix = prefix;
        this.accumulate = accumulate;
        this.maxModelLen = maxModelLen;
    }

    /** Turns sent so far. */
    int turns() {
        return turns;
    }

    /**
     * Fits the next turn's drawn input and output into the context, dropping old turns if the policy allows.
     *
     * @return the fitted token counts, or {@code null} if the turn does not fit and the session must end
     */
    Turn fit(int inputTokens, int outputTokens, Overflow overflow) {
        long prefixTokens = prefix == null ? 0 : prefix.tokens();
        if (prefixTokens + historyTokens + inputTokens + outputTokens <= maxModelLen) {
            return new Turn(inputTokens, outputTokens, false);
        }
        if (!history.isEmpty()) {
            if (overflow == Overflow.END) {
                return null;
            }
            // drop whole turns (input and response) until the new turn fits or the history is empty
            int drop = 0;
            long kept = historyTokens;
            while (drop < history.size() && prefixTokens + kept + inputTokens + outputTokens > maxModelLen) {
                kept -= history.get(drop).tokens();
                kept -= history.get(drop + 1).tokens();
                drop += 2;
            }
            history.subList(0, drop).clear();
            historyTokens = kept;
            if (prefixTokens + historyTokens + inputTokens + outputTokens <= maxModelLen) {
                return new Turn(inputTokens, outputTokens, true);
            }
        }
        // the prefix and the new turn alone are too long: clip the input, then the output
        long room = maxModelLen - prefixTokens;
        int output = (int) Math.min(outputTokens, room - 1);
        int input = (int) Math.min(inputTokens, room - output);
        if (output < 1 || input < 1) {
            return null;
        }
        return new Turn(input, output, true);
    }

    /** The prompt of the next turn: prefix, kept history, then {@code input}. */
    PromptContent prompt(Segment input) {
        List<Segment> segments = new ArrayList<>(history.size() + 2);
        if (prefix != null) {
            segments.add(prefix);
        }
        segments.addAll(history);
        segments.add(input);
        turns++;
        return PromptContent.of(segments);
    }

    /** Adds a finished turn's input and actual response to the context (if accumulating). */
    void completed(Segment input, long responseContentId, int responseTokens) {
        if (!accumulate || responseTokens < 1) {
            return;
        }
        history.add(input);
        history.add(new Segment(responseContentId, responseTokens));
        historyTokens += input.tokens() + responseTokens;
    }
}
