package dev.servesim.engine.sglang;

import static dev.servesim.engine.sglang.TestingTrees.key;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenKeyTest {

    @Test
    void aTokenIsItsContentIdAndOffset() {
        TokenKey prompt = key(7, 3, 9, 2);

        assertThat(prompt.length()).isEqualTo(5);
        assertThat(prompt.contentId(3)).isEqualTo(9);
        assertThat(prompt.offset(3)).isEqualTo(0);
        assertThat(prompt).hasToString("[7:0-2, 9:0-1]");
    }

    @Test
    void keysShareTokensOnlyWhereContentAndOffsetAreBothEqual() {
        // 7:0-3 then 9:0-1 against 7:0-5: tokens 0..3 agree; token 4 is 9:0 against 7:4
        assertThat(key(7, 4, 9, 2).sharedPrefix(key(7, 6), 1)).isEqualTo(4);
        // same content, shifted offsets: 7:1-4 shares nothing with 7:0-3
        TokenKey shifted = TokenKey.builder().append(7, 1, 4).build();
        assertThat(shifted.sharedPrefix(key(7, 4), 1)).isZero();
        // in pages of 4 tokens, 6 shared tokens count as one page
        assertThat(key(7, 6, 9, 2).sharedPrefix(key(7, 8), 4)).isEqualTo(4);
    }

    @Test
    void aSequenceAppendedTokenByTokenEqualsTheSameSegment() {
        TokenKey.Builder builder = TokenKey.builder().append(7, 0, 2);
        TokenKey before = builder.build();
        builder.append(1000, 0, 1).append(1000, 1, 1);

        assertThat(builder.build()).isEqualTo(key(7, 2, 1000, 2)).hasSameHashCodeAs(key(7, 2, 1000, 2));
        // a key built earlier does not see later appends
        assertThat(before).isEqualTo(key(7, 2));
        assertThat(builder.build().slice(1, 3)).hasToString("[7:1, 1000:0]");
    }
}
