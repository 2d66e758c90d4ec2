package dev.servesim.engine.sglang;

import static dev.servesim.engine.sglang.TestingTrees.describe;
import static dev.servesim.engine.sglang.TestingTrees.key;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The radix cache against trees worked out by hand from radix_cache.py. Keys print as content:first-last offsets;
 * a '*' marks a locked node.
 */
class RadixCacheTest {

    private static RadixCache cache(int capacity, int pageSize, EvictionPolicy policy) {
        return new RadixCache(new SlotPool(capacity), pageSize, policy);
    }

    /** Caches {@code key} as one request would: matched, allocated, and cached when it finishes. */
    private static void cacheFinished(RadixCache cache, TokenKey key, double now) {
        RequestKv request = cache.lock(cache.matchPrefix(key, now));
        assertThat(cache.allocate(request, key.length() - request.cachedTokens())).isTrue();
        cache.cacheFinishedRequest(request, key, now);
    }

    @Test
    void aPartialMatchSplitsTheNodeAndAnInsertAddsTheRestAsALeaf() {
        RadixCache cache = cache(100, 1, EvictionPolicy.LRU);

        assertThat(cache.insert(key(1, 10), 1.0)).isZero();
        assertThat(describe(cache)).isEqualTo("[1:0-9]");

        // 1:0-5 then 2:0-3 shares 6 tokens with [1:0-9]: the node splits into [1:0-5] and its tail [1:6-9]
        RadixCache.MatchResult match = cache.matchPrefix(key(1, 6, 2, 4), 2.0);
        assertThat(match.matchedTokens()).isEqualTo(6);
        assertThat(match.lastNode().key).hasToString("[1:0-5]");
        assertThat(describe(cache)).isEqualTo("[1:0-5]{[1:6-9]}");

        // the insert finds those 6 and adds [2:0-3] beside the tail: 10 + 4 = 14 tokens
        assertThat(cache.insert(key(1, 6, 2, 4), 3.0)).isEqualTo(6);
        assertThat(describe(cache)).isEqualTo("[1:0-5]{[1:6-9] [2:0-3]}");
        assertThat(cache.totalSize()).isEqualTo(14);
        assertThat(cache.evictableSize()).isEqualTo(14);
        assertThat(cache.protectedSize()).isZero();
        // a key that stops inside the tail splits it again: [1:6-7] over [1:8-9]
        assertThat(cache.matchPrefix(key(1, 8), 4.0).matchedTokens()).isEqualTo(8);
        assertThat(describe(cache)).isEqualTo("[1:0-5]{[1:6-7]{[1:8-9]} [2:0-3]}");
    }

    @Test
    void pagesOfFourTokensAlignMatchesAndInserts() {
        RadixCache cache = cache(100, 4, EvictionPolicy.LRU);

        // 10 tokens are 2 whole pages and 2 tokens: only 8 are stored
        assertThat(cache.insert(key(1, 10), 1.0)).isZero();
        assertThat(describe(cache)).isEqualTo("[1:0-7]");
        assertThat(cache.matchPrefix(key(1, 10), 2.0).matchedTokens()).isEqualTo(8);
        // 7 tokens hold one whole page: the match stops at 4 and splits [1:0-7] into [1:0-3] over [1:4-7]
        assertThat(cache.matchPrefix(key(1, 7), 3.0).matchedTokens()).isEqualTo(4);
        assertThat(describe(cache)).isEqualTo("[1:0-3]{[1:4-7]}");

        // 1:0-5 then 2:0-5 (12 tokens, 3 pages) shares 6 tokens with the path, which is 1 page: 4 are present,
        // and the 8 after them, 1:4-5 then 2:0-5, form a leaf whose first page [1:4, 1:5, 2:0, 2:1] differs from
        // [1:4-7]'s, so both are children of [1:0-3]
        assertThat(cache.insert(key(1, 6, 2, 6), 4.0)).isEqualTo(4);
        assertThat(describe(cache)).isEqualTo("[1:0-3]{[1:4-7] [1:4-5, 2:0-5]}");
        assertThat(cache.totalSize()).isEqualTo(16);
        assertThat(cache.matchPrefix(key(1, 6, 2, 6), 5.0).matchedTokens()).isEqualTo(12);
    }

    @Test
    void aLockedPathIsNeverEvictedAndUnlockingMakesItEvictable() {
        RadixCache cache = cache(20, 1, EvictionPolicy.LRU);
        TokenKey held = key(1, 10);
        RequestKv running = cache.lock(cache.matchPrefix(held, 1.0));
        assertThat(cache.allocate(running, 10)).isTrue();
        cache.cacheUnfinishedRequest(running, held, 1.0);
        cacheFinished(cache, key(2, 5), 2.0);

        // free 20 - 10 - 5 = 5; [1:0-9] is locked (protected 10), [2:0-4] is not (evictable 5)
        assertThat(describe(cache)).isEqualTo("[1:0-9]* [2:0-4]");
        assertThat(cache.pool().freeTokens()).isEqualTo(5);
        assertThat(cache.protectedSize()).isEqualTo(10);
        assertThat(cache.evictableSize()).isEqualTo(5);

        // asked for 100, eviction frees only the unlocked 5
        assertThat(cache.evict(100)).isEqualTo(5);
        assertThat(describe(cache)).isEqualTo("[1:0-9]*");
        assertThat(cache.pool().freeTokens()).isEqualTo(10);

        // finishing inserts nothing new (10 present, 10 cached: no duplicate) and unlocks the path
        cache.cacheFinishedRequest(running, held, 3.0);
        assertThat(cache.evictableSize()).isEqualTo(10);
        // a leaf is freed whole: 3 asked, 10 freed
        assertThat(cache.evict(3)).isEqualTo(10);
        assertThat(cache.pool().freeTokens()).isEqualTo(20);
        assertThat(cache.totalSize()).isZero();
    }

    @Test
    void aDuplicateInsertFreesTheRequestsSlotsAndUsesTheTreesCopy() {
        RadixCache cache = cache(100, 1, EvictionPolicy.LRU);
        TokenKey prompt = key(1, 10);
        // both requests were admitted before either cached anything: each computes the 10 tokens
        RequestKv first = cache.lock(cache.matchPrefix(prompt, 1.0));
        RequestKv second = cache.lock(cache.matchPrefix(prompt, 1.0));
        assertThat(cache.allocate(first, 10)).isTrue();
        assertThat(cache.allocate(second, 10)).isTrue();
        assertThat(cache.pool().freeTokens()).isEqualTo(80);

        cache.cacheUnfinishedRequest(first, prompt, 2.0);
        // the second finds its 10 tokens present: its 10 slots go back (free 80 + 10 = 90), it locks the tree's
        cache.cacheUnfinishedRequest(second, prompt, 3.0);
        assertThat(cache.pool().freeTokens()).isEqualTo(90);
        assertThat(second.cachedTokens()).isEqualTo(10);
        assertThat(second.ownTokens()).isZero();
        assertThat(cache.root().children.values().iterator().next().lockRef).isEqualTo(2);

        // the second decodes 3 tokens (free 87) and finishes: 10 present, 3 new in a leaf; 87 + 13 = 100
        TokenKey withOutput = TokenKey.builder().append(1, 0, 10).append(1000, 0, 3).build();
        assertThat(cache.allocate(second, 3)).isTrue();
        cache.cacheFinishedRequest(second, withOutput, 4.0);
        assertThat(describe(cache)).isEqualTo("[1:0-9]*{[1000:0-2]}");
        assertThat(cache.pool().freeTokens()).isEqualTo(87);
        assertThat(cache.totalSize()).isEqualTo(13);
        assertThat(cache.protectedSize()).isEqualTo(10);
    }

    @Test
    void aFinishedRequestFreesItsPartialLastPage() {
        RadixCache cache = cache(100, 4, EvictionPolicy.LRU);

        // 10 tokens of KV: 8 (2 pages) go into the tree, the last 2 are freed: free 100 - 8 = 92
        cacheFinished(cache, key(1, 10), 1.0);
        assertThat(describe(cache)).isEqualTo("[1:0-7]");
        assertThat(cache.pool().freeTokens()).isEqualTo(92);
    }

    /*
     * Three leaves under the root, 4 tokens each (creation, last access, hits):
     *   t=1 insert A [1:0-3], t=2 insert B [2:0-3], t=3 insert C [3:0-3]
     *   t=4 and t=5 match B: B (2, 5, 2);  t=6 match A: A (1, 6, 1);  t=7 insert C again: C (3, 7, 0)
     * Keys, smallest evicted first:
     *   lru  last access          B 5, A 6, C 7        -> B A C
     *   lfu  (hits, last access)  C (0,7), A (1,6), B (2,5) -> C A B
     *   fifo creation             A 1, B 2, C 3        -> A B C
     *   mru  -last access         C -7, A -6, B -5     -> C A B
     *   filo -creation            C -3, B -2, A -1     -> C B A
     */
    @ParameterizedTest
    @CsvSource({"lru, 2 1 3", "lfu, 3 1 2", "fifo, 1 2 3", "mru, 3 1 2", "filo, 3 2 1"})
    void eachPolicyEvictsItsLeavesInItsOrder(String policy, String expectedOrder) {
        RadixCache cache = cache(100, 1, EvictionPolicy.fromName(policy));
        cacheFinished(cache, key(1, 4), 1.0);
        cacheFinished(cache, key(2, 4), 2.0);
        cacheFinished(cache, key(3, 4), 3.0);
        cache.matchPrefix(key(2, 4), 4.0);
        cache.matchPrefix(key(2, 4), 5.0);
        cache.matchPrefix(key(1, 4), 6.0);
        cache.insert(key(3, 4), 7.0);

        StringBuilder order = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            String before = describe(cache);
            // one leaf of 4 tokens frees at least 1
            assertThat(cache.evict(1)).isEqualTo(4);
            order.append(k == 0 ? "" : " ").append(evictedContent(before, describe(cache)));
        }
        assertThat(order).hasToString(expectedOrder);
    }

    private static String evictedContent(String before, String after) {
        for (String leaf : before.split(" ")) {
            if (!after.contains(leaf)) {
                return leaf.substring(1, leaf.indexOf(':'));
            }
        }
        throw new AssertionError("nothing evicted from " + before);
    }

    @Test
    void thePriorityPolicyEvictsLowerPrioritiesFirst() {
        RadixCache cache = cache(100, 1, EvictionPolicy.PRIORITY);
        // priorities A 2, B 0, C 1, inserted in that order: B, then C, then A; the slots are taken by hand, as
        // a request's would be before it hands them to the tree
        assertThat(cache.pool().allocate(12)).isTrue();
        cache.insert(key(1, 4), 1.0, 2);
        cache.insert(key(2, 4), 2.0, 0);
        cache.insert(key(3, 4), 3.0, 1);

        cache.evict(1);
        assertThat(describe(cache)).isEqualTo("[1:0-3] [3:0-3]");
        cache.evict(1);
        assertThat(describe(cache)).isEqualTo("[1:0-3]");
    }

    @Test
    void aParentLeftWithoutChildrenIsEvictedInTheSameRound() {
        RadixCache cache = cache(100, 1, EvictionPolicy.LRU);
        // t=1: [1:0-5] (node 1); t=2: 1:0-3 then 2:0-1 splits it into P [1:0-3] (node 2) over X [1:4-5] and adds
        // Y [2:0-1] (node 3), all three last accessed at 2; t=3: Q [3:0-3] (node 4)
        cacheFinished(cache, key(1, 6), 1.0);
        cacheFinished(cache, key(1, 4, 2, 2), 2.0);
        cacheFinished(cache, key(3, 4), 3.0);
        assertThat(describe(cache)).isEqualTo("[1:0-3]{[1:4-5] [2:0-1]} [3:0-3]");

        // leaves X (2, node 1), Y (2, node 3), Q (3): X goes (2 freed), Y goes (4), P has no child left and joins
        // the heap with access 2 < Q's 3, so P goes (8 >= 6) and Q stays
        assertThat(cache.evict(6)).isEqualTo(8);
        assertThat(describe(cache)).isEqualTo("[3:0-3]");
        assertThat(cache.pool().freeTokens()).isEqualTo(96);
    }
}
