package dev.servesim.api.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockHashChainTest {

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
        BlockHashChain whole = new BlockHashChain(16);
        whole.append(7, 0, 50);
        whole.append(99, 0, 30);

        BlockHashChain piecewise = new BlockHashChain(16);
        piecewise.append(7, 0, 20);
        piecewise.append(7, 20, 30);
        for (int i = 0; i < 30; i++) {
            piecewise.append(99, i, 1); // as an engine appends generated tokens
        }

        assertThat(piecewise.tokens()).isEqualTo(80);
        assertThat(piecewise.hashes()).containsExactly(whole.hashes());
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
        BlockHashChain engineView = BlockHashChain.of(turn1.prompt(), 16);
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
        BlockHashChain chain = BlockHashChain.of(PromptContent.single(3, 15), 16);
        assertThat(chain.fullBlocks()).isZero();
        chain.append(4, 0, 1);
        assertThat(chain.fullBlocks()).isEqualTo(1);
    }
}
