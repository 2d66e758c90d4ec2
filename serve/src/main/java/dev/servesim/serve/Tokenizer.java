package dev.servesim.serve;

/**
 * Turns text into token ids and back. Implementations are deterministic (the same text gives the same ids in every
 * run) and thread-safe.
 */
public interface Tokenizer {

    /** The token ids of {@code text}, never null; empty text gives no tokens. */
    int[] encode(String text);

    /** The text of {@code tokens}; an id that stands for no text is rendered as {@code <|id|>}. */
    String decode(int[] tokens);
}
