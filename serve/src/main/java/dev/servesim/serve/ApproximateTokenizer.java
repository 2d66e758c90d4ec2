package dev.servesim.serve;

import java.util.Arrays;

/**
 * A stand-in for a model's tokenizer that needs no vocabulary: text becomes about as many tokens as a BPE tokenizer
 * would make of English, and ids carry their text, so that {@code decode(encode(s)).equals(s)} for every string and
 * the same text gives the same ids in every run and on every machine.
 *
 * <p>Text is read from the start, one code point at a time:
 * <ul>
 *   <li>runs of ASCII characters (U+0000 to U+007F) are cut into tokens of four characters (the last of a run may be
 *       shorter), each id packing the characters' 7-bit codes and the count: {@code 2^30 + (count-1) * 2^28 +
 *       c1 * 2^21 + c2 * 2^14 + c3 * 2^7 + c4}, unused places zero;</li>
 *   <li>any other code point is one token, id {@code 2^29 + codePoint} (an unpaired surrogate counts as one).</li>
 * </ul>
 * So English prose gives about one token per four characters (Llama 3's tokenizer: about 4.2), and text in other
 * scripts one token per character. A common prefix of two texts gives a common prefix of tokens up to its last full
 * four-character token. Ids outside these two ranges, or inside them but not made by {@link #encode} (a code point
 * below U+0080 in the second range, non-zero unused places in the first), stand for no text and decode to
 * {@code <|id|>}, so token ids of another vocabulary (a client's {@code [1, 2, 3]}) still render.
 */
public final class ApproximateTokenizer implements Tokenizer {

    /** Characters in one ASCII token at most. */
    static final int ASCII_CHARS_PER_TOKEN = 4;

    private static final int ASCII_BASE = 1 << 30;
    private static final int CODE_POINT_BASE = 1 << 29;

    /** The tokenizer; it has no state. */
    public ApproximateTokenizer() {}

    @Override
    public int[] encode(String text) {
        int[] tokens = new int[text.length()];
        int count = 0;
        int index = 0;
        while (index < text.length()) {
            int codePoint = text.codePointAt(index);
            if (codePoint >= 0x80) {
                tokens[count++] = CODE_POINT_BASE + codePoint;
                index += Character.charCount(codePoint);
                continue;
            }
            int packed = 0;
            int chars = 0;
            while (chars < ASCII_CHARS_PER_TOKEN && index < text.length() && text.charAt(index) < 0x80) {
                packed |= text.charAt(index) << (7 * (ASCII_CHARS_PER_TOKEN - 1 - chars));
                chars++;
                index++;
            }
            tokens[count++] = ASCII_BASE | (chars - 1) << 28 | packed;
        }
        return Arrays.copyOf(tokens, count);
    }

    @Override
    public String decode(int[] tokens) {
        StringBuilder text = new StringBuilder(tokens.length * ASCII_CHARS_PER_TOKEN);
        for (int token : tokens) {
            append(text, token);
        }
        return text.toString();
    }

    private static void append(StringBuilder text, int token) {
        if (token >= ASCII_BASE) {
            int chars = ((token >>> 28) & 3) + 1;
            int packed = token & ((1 << 28) - 1);
            int unusedBits = 7 * (ASCII_CHARS_PER_TOKEN - chars);
            if ((packed & ((1 << unusedBits) - 1)) == 0) {
                for (int i = 0; i < chars; i++) {
                    text.append((char) ((packed >>> (7 * (ASCII_CHARS_PER_TOKEN - 1 - i))) & 0x7f));
                }
                return;
            }
        } else if (token >= CODE_POINT_BASE + 0x80 && token < CODE_POINT_BASE + Character.MAX_CODE_POINT + 1) {
            text.appendCodePoint(token - CODE_POINT_BASE);
            return;
        }
        text.append("<|").append(token).append("|>");
    }
}
