package dev.servesim.engine.sglang;

import static dev.servesim.engine.sglang.TestingTrees.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.cache.KvCacheEvents;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pages the radix tree publishes: each page of a node that enters the tree is stored, each page of an evicted
 * node removed, under the hash a router computes from a prompt at the page size; splits publish nothing.
 */
class RadixEventsTest {

    private final List<Long> stored = new ArrayList<>();
    private final List<Long> removed = new ArrayList<>();
    private final KvCacheEvents events = new KvCacheEvents() {
        @Override
        public void blockStored(long blockHash) {
            stored.add(blockHash);
        }

        @Override
        public void blockRemoved(long blockHash) {
            removed.add(blockHash);
        }
    };

    private static List<Long> hashes(PromptContent prompt, int pageSize) {
        List<Long> hashes = new ArrayList<>();
        for (long hash : BlockHashChain.of(prompt, pageSize).hashes()) {
            hashes.add(hash);
        }
        return hashes;
    }

    @Test
    void publishesEveryWholePageUnderTheHashOfThePromptChain() {
        RadixCache cache = new RadixCache(new SlotPool(1000), 4, EvictionPolicy.LRU,
                RadixEvents.of(Optional.of(events), 4));
        PromptContent first = PromptContent.of(new Segment(1, 8), new Segment(2, 6));

        cacheFinished(cache, TokenKey.of(first), 1.0);
        // 14 tokens: three whole pages, the partial fourth is not cached
        assertThat(stored).isEqualTo(hashes(first, 4));

        // shares the first two pages: the node splits, and only the new leaf's pages are published
        PromptContent second = PromptContent.of(new Segment(1, 8), new Segment(3, 8));
        stored.clear();
        cacheFinished(cache, TokenKey.of(second), 2.0);
        assertThat(stored).isEqualTo(hashes(second, 4).subList(2, 4));

        // evicting everything removes every page published, each once
        cache.evict(1000);
        assertThat(removed).containsExactlyInAnyOrderElementsOf(
                concat(hashes(first, 4), hashes(second, 4).subList(2, 4)));
    }

    @Test
    void aTokenGranularTreePublishesOneHashPerToken() {
        RadixCache cache = new RadixCache(new SlotPool(100), 1, EvictionPolicy.LRU,
                RadixEvents.of(Optional.of(events), 1));

        cacheFinished(cache, key(5, 3), 1.0);

        assertThat(stored).isEqualTo(hashes(PromptContent.of(new Segment(5, 3)), 1));
    }

    @Test
    void nothingIsPublishedWithoutAReader() {
        RadixCache cache = new RadixCache(new SlotPool(100), 1, EvictionPolicy.LRU,
                RadixEvents.of(Optional.empty(), 1));

        cacheFinished(cache, key(5, 3), 1.0);
        cache.evict(100);

        assertThat(cache.root().children).isEmpty();
        assertThat(stored).isEmpty();
    }

    /** Caches {@code key} as one request would: matched, allocated, and cached when it finishes. */
    private static void cacheFinished(RadixCache cache, TokenKey key, double now) {
        RequestKv request = cache.lock(cache.matchPrefix(key, now));
        assertThat(cache.allocate(request, key.length() - request.cachedTokens())).isTrue();
        cache.cacheFinishedRequest(request, key, now);
    }

    private static List<Long> concat(List<Long> first, List<Long> second) {
        List<Long> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
