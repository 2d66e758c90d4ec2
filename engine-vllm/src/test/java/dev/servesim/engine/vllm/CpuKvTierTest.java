package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import org.junit.jupiter.api.Test;

class CpuKvTierTest {

    @Test
    void storesWhenTheStepEndsSkipsBlocksItHoldsAndEvictsTheLeastRecentlyUsed() {
        CpuKvTier tier = new CpuKvTier(3, 0.001);
        BlockHashChain chain = BlockHashChain.of(PromptContent.single(9, 64), 16);

        tier.offer(chain.hash(0));
        tier.offer(chain.hash(1));
        assertThat(tier.match(chain, 0, 4)).as("offered, not stored yet").isZero();
        tier.commit();
        assertThat(tier.match(chain, 0, 4)).isEqualTo(2);
        tier.offer(chain.hash(1));
        tier.offer(chain.hash(2));
        tier.commit();
        assertThat(tier.storedBlocks()).isEqualTo(3);
        assertThat(tier.size()).isEqualTo(3);

        // match touched blocks 2, 1, 0 in that order, so block 0 is the most recent and block 2 the oldest
        tier.match(chain, 0, 3);
        tier.offer(chain.hash(3));
        tier.commit();
        assertThat(tier.evictedBlocks()).isEqualTo(1);
        assertThat(tier.match(chain, 0, 4)).isEqualTo(2);
        assertThat(tier.match(chain, 3, 4)).isEqualTo(1);
    }

    @Test
    void countsOnlyConsecutiveBlocksFromTheFirstOneTheGpuMissed() {
        CpuKvTier tier = new CpuKvTier(8, 0.001);
        BlockHashChain chain = BlockHashChain.of(PromptContent.single(9, 80), 16);
        tier.offer(chain.hash(0));
        tier.offer(chain.hash(1));
        tier.offer(chain.hash(3));
        tier.commit();

        assertThat(tier.match(chain, 1, 5)).isEqualTo(1);
        assertThat(tier.match(chain, 2, 5)).isZero();
        assertThat(tier.match(chain, 3, 5)).isEqualTo(1);
        assertThat(tier.load(3)).isEqualTo(0.003);
        assertThat(tier.loadedBlocks()).isEqualTo(3);
    }

    @Test
    void aTierOfNoBlocksIsDisabledAndStoresNothing() {
        CpuKvTier tier = new CpuKvTier(0, 0.001);
        tier.offer(42);
        tier.commit();

        assertThat(tier.enabled()).isFalse();
        assertThat(tier.size()).isZero();
    }
}
