package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PromptBlocksTest {

    private static final int BLOCK = 16;

    @Test
    void promptsSharingLeadingBlocksShareTheirBlockHashesAndNoMore() {
        int[] base = IntStream.range(100, 100 + 5 * BLOCK + 7).toArray();
        int[] sameStart = Arrays.copyOf(base, base.length);
        // differs in the fourth block: blocks 0-2 shared, 3 and 4 not
        sameStart[3 * BLOCK + 5] = -9;
        long[] a = BlockHashChain.of(PromptBlocks.of(base, BLOCK), BLOCK).hashes();
        long[] b = BlockHashChain.of(PromptBlocks.of(sameStart, BLOCK), BLOCK).hashes();

        assertThat(a).hasSize(5);
        assertThat(Arrays.copyOf(b, 3)).containsExactly(Arrays.copyOf(a, 3));
        assertThat(b[3]).isNotEqualTo(a[3]);
        assertThat(b[4]).isNotEqualTo(a[4]);
    }

    @Test
    void aPromptExtendedByMoreTokensKeepsEveryFullBlockOfTheShorterOne() {
        int[] shorter = IntStream.range(0, 3 * BLOCK + 9).toArray();
        int[] longer = IntStream.range(0, 7 * BLOCK).toArray();
        long[] a = BlockHashChain.of(PromptBlocks.of(shorter, BLOCK), BLOCK).hashes();
        long[] b = BlockHashChain.of(PromptBlocks.of(longer, BLOCK), BLOCK).hashes();

        assertThat(a).hasSize(3);
        assertThat(Arrays.copyOf(b, 3)).containsExactly(a);
    }

    @Test
    void theSameTokensInAnotherOrderOrPlaceGiveOtherBlocks() {
        int[] tokens = IntStream.range(0, 2 * BLOCK).toArray();
        int[] swapped = tokens.clone();
        swapped[0] = 1;
        swapped[1] = 0;
        int[] shifted = IntStream.range(0, 2 * BLOCK).map(t -> t < BLOCK ? t + 500 : t).toArray();
        long[] hashes = BlockHashChain.of(PromptBlocks.of(tokens, BLOCK), BLOCK).hashes();

        assertThat(BlockHashChain.of(PromptBlocks.of(swapped, BLOCK), BLOCK).hashes()[0]).isNotEqualTo(hashes[0]);
        // the second block's tokens are equal, but it follows another first block
        assertThat(BlockHashChain.of(PromptBlocks.of(shifted, BLOCK), BLOCK).hashes()[1]).isNotEqualTo(hashes[1]);
    }

    @Test
    void segmentsAreOneBlockEachAndTheirLengthsAddUp() {
        PromptContent prompt = PromptBlocks.of(IntStream.range(0, 2 * BLOCK + 3).toArray(), BLOCK);
        assertThat(prompt.tokens()).isEqualTo(2 * BLOCK + 3);
        assertThat(prompt.segments()).extracting(segment -> segment.tokens()).containsExactly(BLOCK, BLOCK, 3);
        assertThat(PromptBlocks.of(new int[] {7}, BLOCK).tokens()).isEqualTo(1);
        assertThatThrownBy(() -> PromptBlocks.of(new int[0], BLOCK)).isInstanceOf(IllegalArgumentException.class);
    }
}
