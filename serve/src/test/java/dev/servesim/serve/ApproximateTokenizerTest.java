package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ApproximateTokenizerTest {

    private final Tokenizer tokenizer = new ApproximateTokenizer();

    @Test
    void decodingGivesBackTheTextForAnyString() {
        for (String text : new String[] {"", "a", "Hello, world!", "tab\tand\nnew line\u0000nul", "caf\u00e9 na\u00efve",
                "\u65e5\u672c\u8a9e\u306e\u6587", "emoji \ud83d\ude00 and \ud83d\udc4d\ud83c\udffd", "lone \ud800 high",
                "lone \udc00 low", "<|12|> looks like an id"}) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).as(text).isEqualTo(text);
        }
        Random random = new Random(16);
        for (int i = 0; i < 2_000; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int c = 0; c < chars.length; c++) {
                // mostly ASCII, some of any UTF-16 unit (surrogates included)
                chars[c] = (char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80));
            }
            String text = new String(chars);
            assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void idsAreStableAcrossRunsAndMachines() {
        // pinned: a change here changes every prompt's block hashes, hence cache hits of recorded runs
        assertThat(tokenizer.encode("Hello, world!")).containsExactly(2031711852, 2112557175, 2113713764, 1142947840);
        assertThat(tokenizer.encode("\u00e9")).containsExactly((1 << 29) + 0xe9);
        assertThat(tokenizer.encode("\ud83d\ude00")).containsExactly((1 << 29) + 0x1f600);
    }

    @Test
    void englishTextIsAboutOneTokenPerFourCharacters() {
        String text = "The quick brown fox jumps over the lazy dog, then rests in the shade of an old oak tree.";
        assertThat(tokenizer.encode(text)).hasSize((text.length() + 3) / 4);
        assertThat(tokenizer.encode("\u65e5\u672c\u8a9e")).hasSize(3);
        // "ab", "\u00e9", "cdef", "g"
        assertThat(tokenizer.encode("ab\u00e9cdefg")).hasSize(4);
    }

    @Test
    void aCommonPrefixGivesCommonTokensUpToItsLastFullToken() {
        int[] shorter = tokenizer.encode("a shared beginning, then one way");
        int[] longer = tokenizer.encode("a shared beginning, then another way");
        int common = 0;
        while (shorter[common] == longer[common]) {
            common++;
        }
        // "a shared beginning, then " is 25 characters: six full tokens
        assertThat(common).isEqualTo(6);
    }

    @Test
    void idsThatStandForNoTextRenderAsTheirNumber() {
        assertThat(tokenizer.decode(new int[] {1, 2, 3})).isEqualTo("<|1|><|2|><|3|>");
        // a code point below U+0080 in the code point range, unused places set in the ASCII range
        assertThat(tokenizer.decode(new int[] {(1 << 29) + 'a', (1 << 30) | 'a'})).isEqualTo("<|536871009|><|"
                + ((1 << 30) | 'a') + "|>");
        assertThat(tokenizer.decode(new int[] {(1 << 29) + 0x110000})).isEqualTo("<|" + ((1 << 29) + 0x110000)
                + "|>");
        int[] mixed = {tokenizer.encode("ok")[0], 42};
        assertThat(tokenizer.decode(mixed)).isEqualTo("ok<|42|>");
        assertThat(Arrays.stream(tokenizer.encode("any text at all")).allMatch(id -> id >= 1 << 29)).isTrue();
    }
}
