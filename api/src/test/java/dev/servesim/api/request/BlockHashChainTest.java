package dev.servesim.api.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlockHashChainTest {

    // the hashes of BlockHashChain.of(20 tokens of content 1, 20 of content 2; blocks of 16) before it became immutable
    private static final long PINNED_FIRST = 0xA98CB1563E4E2887L;
    private static final long PINNED_SECOND = 0x93035639EE299FE9L;

    @Test
    void promptsSharingAPrefixShareHashesUpToTheLastFullSharedBlock() {
        // 100-token system prompt shared, then different questions
        PromptContent a = PromptContent.of(new Segment(1, 100), new Segment(2, 60));
        PromptContent b = PromptContent.of(new Segment(1, 100), new Segment(3, 60));

        long[] ha = BlockHashChain.of(a, 16).hashes();
        long[] hb = BlockHashChain.of(b, 16).hashes();

        assertThat(ha).hasSize(10);
        // blocks 0..5 hold tokens 0..95, all of the shared system prompt; block 6 mixes in the question
        for (int k = 0; k < 6; k++) {
            assertThat(ha[k]).as("block %d", k).isEqualTo(hb[k]);
        }
        for (int k = 6; k < 10; k++) {
            assertThat(ha[k]).as("block %d", k).isNotEqualTo(hb[k]);
        }
    }

    @Test
    void aDifferenceChangesEveryLaterHash() {
        long[] ha = BlockHashChain.of(PromptContent.of(new Segment(1, 16), new Segment(5, 64)), 16).hashes();
        long[] hb = BlockHashChain.of(PromptContent.of(new Segment(2, 16), new Segment(5, 64)), 16).hashes();
        for (int k = 0; k < 5; k++) {
            assertThat(ha[k]).isNotEqualTo(hb[k]);
        }
    }

    @Test
    void hashesDoNotDependOnHowTokensWereAppended() {
        BlockHashChain whole = BlockHashChain.builder(16).append(7, 0, 50).append(99, 0, 30).build();

        BlockHashChain.Builder piecewise = BlockHashChain.builder(16).append(7, 0, 20).append(7, 20, 30);
        for (int i = 0; i < 30; i++) {
            piecewise.append(99, i, 1); // as an engine appends generated tokens
        }

        assertThat(piecewise.tokens()).isEqualTo(80);
        assertThat(piecewise.build().hashes()).containsExactly(whole.hashes());
    }

    @Test
    void shorterSegmentOfTheSameContentIsAPrefix() {
        // a 512-token trace hash block and a later request that holds only part of it
        long[] full = BlockHashChain.of(PromptContent.single(46, 512), 16).hashes();
        long[] part = BlockHashChain.of(PromptContent.single(46, 200), 16).hashes();
        assertThat(part).hasSize(12);
        for (int k = 0; k < part.length; k++) {
            assertThat(part[k]).isEqualTo(full[k]);
        }
    }

    @Test
    void followUpTurnSharesTheBlocksFilledByTheResponse() {
        Request turn1 = Request.single(1, 0, PromptContent.of(new Segment(10, 40)), 30);
        BlockHashChain.Builder engineView = BlockHashChain.builder(16).append(turn1.prompt());
        for (int i = 0; i < 30; i++) {
            engineView.append(turn1.outputContentId(), i, 1);
        }
        PromptContent turn2 = turn1.prompt().append(
                java.util.List.of(new Segment(turn1.outputContentId(), 30), new Segment(11, 25)));

        long[] turn2Hashes = BlockHashChain.of(turn2, 16).hashes();

        assertThat(engineView.fullBlocks()).isEqualTo(4);
        for (int k = 0; k < 4; k++) {
            assertThat(turn2Hashes[k]).isEqualTo(engineView.hash(k));
        }
    }

    @Test
    void partialBlocksHaveNoHash() {
        BlockHashChain.Builder builder = BlockHashChain.builder(16).append(PromptContent.single(3, 15));
        assertThat(builder.build().fullBlocks()).isZero();
        builder.append(4, 0, 1);
        assertThat(builder.build().fullBlocks()).isEqualTo(1);
    }

    @Test
    void aBuiltChainDoesNotChangeWhenItsBuilderGrows() {
        BlockHashChain.Builder builder = BlockHashChain.builder(4).append(1, 0, 10);
        BlockHashChain early = builder.build();
        long[] earlyHashes = early.hashes();

        // past the builder's first array, so it grows as well as fills
        builder.append(2, 0, 100);
        BlockHashChain late = builder.build();

        assertThat(early.tokens()).isEqualTo(10);
        assertThat(early.fullBlocks()).isEqualTo(2);
        assertThat(early.hashes()).containsExactly(earlyHashes);
        assertThatThrownBy(() -> early.hash(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(late.tokens()).isEqualTo(110);
        assertThat(late.fullBlocks()).isEqualTo(27);
        assertThat(late.hash(0)).isEqualTo(early.hash(0));
        assertThat(late.hash(1)).isEqualTo(early.hash(1));
        assertThat(late.hashes()).hasSize(27).startsWith(earlyHashes);
    }

    @Test
    void buildingAgainWithoutAppendingGivesTheSameChain() {
        BlockHashChain.Builder builder = BlockHashChain.builder(16).append(PromptContent.single(5, 40));
        BlockHashChain first = builder.build();

        assertThat(builder.append(6, 0, 0).build()).isSameAs(first);
        assertThat(builder.append(6, 0, 1).build()).isNotSameAs(first);
    }

    @Test
    void hashesReturnsACopy() {
        BlockHashChain chain = BlockHashChain.of(PromptContent.single(8, 64), 16);
        long[] copy = chain.hashes();
        long first = copy[0];
        copy[0] = 0;
        assertThat(chain.hash(0)).isEqualTo(first);
        assertThat(chain.hashes()[0]).isEqualTo(first);
    }

    @Test
    void anEmptyChainHasNoBlocksAndTheBlockSizeIsChecked() {
        BlockHashChain empty = new BlockHashChain(16);
        assertThat(empty.tokens()).isZero();
        assertThat(empty.hashes()).isEmpty();
        assertThat(empty.blockSize()).isEqualTo(16);
        assertThatThrownBy(() -> new BlockHashChain(0)).hasMessage("block size must be at least 1, got 0");
        assertThatThrownBy(() -> BlockHashChain.builder(-1)).hasMessage("block size must be at least 1, got -1");
    }

    @Test
    void hashesAreStableAcrossVersions() {
        // pinned: block hashes reach outputs (trace dumps, cache events), so they must not change
        BlockHashChain chain = BlockHashChain.of(PromptContent.of(new Segment(1, 20), new Segment(2, 20)), 16);
        assertThat(chain.hashes()).containsExactly(PINNED_FIRST, PINNED_SECOND);
    }
}
