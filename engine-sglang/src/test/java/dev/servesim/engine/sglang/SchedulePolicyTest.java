package dev.servesim.engine.sglang;

import static dev.servesim.engine.sglang.TestingTrees.describe;
import static dev.servesim.engine.sglang.TestingTrees.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Waiting-queue orders worked out by hand from schedule_policy.py. A request's match covers at most all its tokens
 * but the last ({@code adjust_max_prefix_ids}).
 */
class SchedulePolicyTest {

    private final RadixCache cache = new RadixCache(new SlotPool(10_000), 1, EvictionPolicy.LRU);

    private void cached(TokenKey key) {
        assertThat(cache.pool().allocate(key.length())).isTrue();
        cache.insert(key, 0.0);
    }

    private List<WaitingRequest> order(String policy, WaitingRequest... requests) {
        List<WaitingRequest> queue = new ArrayList<>(List.of(requests));
        new SchedulePolicy(SchedulePolicy.Policy.fromName(policy), cache, new SplittableRandom(1))
                .calcPriority(queue, 1.0);
        return queue;
    }

    private static List<Long> ids(List<WaitingRequest> queue) {
        List<Long> ids = new ArrayList<>();
        for (WaitingRequest request : queue) {
            ids.add(request.id);
        }
        return ids;
    }

    @Test
    void fcfsKeepsArrivalOrderAndMatchesNothing() {
        cached(key(1, 50));
        WaitingRequest first = new WaitingRequest(1, key(2, 10), 10);
        WaitingRequest second = new WaitingRequest(2, key(1, 60), 10);

        assertThat(ids(order("fcfs", first, second))).containsExactly(1L, 2L);
        assertThat(second.lastNode).isNull();
    }

    @Test
    void lpmPutsTheLongestCachedPrefixFirst() {
        cached(key(1, 50));
        cached(key(2, 20));
        // request 1 (3:0-9) matches 0, request 2 (2:0-29) matches 20 of its first 29, request 3 (1:0-59) matches 50;
        // the first two are checked in-batch (matches <= 32) but share nothing with each other
        WaitingRequest none = new WaitingRequest(1, key(3, 10), 10);
        WaitingRequest some = new WaitingRequest(2, key(2, 30), 10);
        WaitingRequest most = new WaitingRequest(3, key(1, 60), 10);

        assertThat(ids(order("lpm", none, some, most))).containsExactly(3L, 2L, 1L);
        assertThat(List.of(none.prefixTokens, some.prefixTokens, most.prefixTokens)).containsExactly(0, 20, 50);
    }

    @Test
    void lpmFallsBackToFcfsAbove128Waiting() {
        cached(key(1, 50));
        List<WaitingRequest> queue = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            queue.add(new WaitingRequest(i, key(100 + i, 10), 10));
        }
        WaitingRequest hit = new WaitingRequest(999, key(1, 60), 10);
        queue.add(hit);

        // 129 waiting > 128: fcfs, unsorted and unmatched
        SchedulePolicy lpm = new SchedulePolicy(SchedulePolicy.Policy.LPM, cache, new SplittableRandom(1));
        assertThat(lpm.calcPriority(queue, 1.0)).isFalse();
        assertThat(queue.get(128)).isSameAs(hit);
        assertThat(hit.lastNode).isNull();

        // 128 waiting: lpm sorts, and the only hit (50 tokens) goes first
        queue.remove(0);
        assertThat(lpm.calcPriority(queue, 1.0)).isTrue();
        assertThat(queue.get(0)).isSameAs(hit);
        assertThat(hit.prefixTokens).isEqualTo(50);
    }

    @Test
    void aRequestSharing32TokensWithAnEarlierWaitingOneIsDeprioritized() {
        // empty cache; queue 1, 3, 2: request 1 (1:0-31 then 5:0-17) goes into the scratch tree; request 3 shares
        // its first 32 tokens (1:0-31) with it, 32 >= 32, so it is deprioritized; request 2 (2:0-9) shares none and
        // goes in. lpm keys: 1 -> 0, 3 -> infinity, 2 -> 0, so a stable sort gives 1, 2, 3
        WaitingRequest first = new WaitingRequest(1, key(1, 32, 5, 18), 10);
        WaitingRequest sharing = new WaitingRequest(3, key(1, 32, 6, 18), 10);
        WaitingRequest other = new WaitingRequest(2, key(2, 10), 10);

        assertThat(ids(order("lpm", first, sharing, other))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aRequestSharing31TokensIsNotDeprioritized() {
        // as above with 31 shared tokens: 31 < 32, request 3 keeps its place (keys 0, 0, 0: 1, 3, 2)
        WaitingRequest first = new WaitingRequest(1, key(1, 31, 5, 19), 10);
        WaitingRequest sharing = new WaitingRequest(3, key(1, 31, 6, 19), 10);
        WaitingRequest other = new WaitingRequest(2, key(2, 10), 10);

        assertThat(ids(order("lpm", first, sharing, other))).containsExactly(1L, 3L, 2L);
    }

    @Test
    void aRequestWithMoreThan32TokensCachedIsNotCheckedInBatch() {
        // 1:0-39 cached: requests 1 and 2 match 40 > 32 tokens against the cache, so neither is checked, though
        // they share 50 tokens; request 3 matches 0. lpm keys -40, -40, 0 give 1, 2, 3 (had request 2 been
        // deprioritized, 1, 3, 2)
        cached(key(1, 40));
        WaitingRequest first = new WaitingRequest(1, key(1, 50, 5, 10), 10);
        WaitingRequest second = new WaitingRequest(2, key(1, 50, 6, 10), 10);
        WaitingRequest third = new WaitingRequest(3, key(3, 10), 10);

        assertThat(ids(order("lpm", first, second, third))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void dfsWeightVisitsTheHeaviestSubtreesFirst() {
        // tree: P [1:0-19] over A [2:0-9] and B [3:0-9]; Q [4:0-9] beside P
        cached(key(1, 20, 2, 10));
        cached(key(1, 20, 3, 10));
        cached(key(4, 10));
        assertThat(describe(cache)).isEqualTo("[1:0-19]{[2:0-9] [3:0-9]} [4:0-9]");
        // request 1 ends at Q, 2 and 4 at B, 3 at P, 5 at the root
        WaitingRequest atQ = new WaitingRequest(1, key(4, 10, 9, 1), 10);
        WaitingRequest atB = new WaitingRequest(2, key(1, 20, 3, 10, 9, 5), 10);
        WaitingRequest atP = new WaitingRequest(3, key(1, 20, 7, 5), 10);
        WaitingRequest alsoAtB = new WaitingRequest(4, key(1, 20, 3, 10, 8, 2), 10);
        WaitingRequest atRoot = new WaitingRequest(5, key(5, 5), 10);

        // weights: B 2, A 0, P 1 + 2 + 0 = 3, Q 1. From the root: P (3) before Q (1); under P, B (2) before A (0);
        // B's requests 2, 4, then P's 3, then Q's 1, then the root's 5
        assertThat(ids(order("dfs-weight", atQ, atB, atP, alsoAtB, atRoot))).containsExactly(2L, 4L, 3L, 1L, 5L);
    }

    @Test
    void lofPutsTheLargestMaxNewTokensFirstStably() {
        WaitingRequest a = new WaitingRequest(1, key(1, 5), 10);
        WaitingRequest b = new WaitingRequest(2, key(2, 5), 30);
        WaitingRequest c = new WaitingRequest(3, key(3, 5), 10);
        WaitingRequest d = new WaitingRequest(4, key(4, 5), 30);

        assertThat(ids(order("lof", a, b, c, d))).containsExactly(2L, 4L, 1L, 3L);
    }

    @Test
    void randomShufflesAsPythonDoesWithTheDrawsOfTheStream() {
        // draws j = 0 for i = 3, 2 for i = 2, 0 for i = 1:
        // [1 2 3 4] -swap 3,0-> [4 2 3 1] -swap 2,2-> [4 2 3 1] -swap 1,0-> [2 4 3 1]
        RandomGenerator scripted = new ScriptedDraws(0, 2, 0);
        List<WaitingRequest> queue = new ArrayList<>();
        for (int id = 1; id <= 4; id++) {
            queue.add(new WaitingRequest(id, key(id, 5), 10));
        }
        new SchedulePolicy(SchedulePolicy.Policy.RANDOM, cache, scripted).calcPriority(queue, 1.0);

        assertThat(ids(queue)).containsExactly(2L, 4L, 3L, 1L);
    }

    @Test
    void randomIsTheSameForTheSameSeed() {
        List<List<Long>> orders = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<WaitingRequest> queue = new ArrayList<>();
            for (int id = 1; id <= 20; id++) {
                queue.add(new WaitingRequest(id, key(id, 5), 10));
            }
            new SchedulePolicy(SchedulePolicy.Policy.RANDOM, cache, new SplittableRandom(42)).calcPriority(queue, 1.0);
            orders.add(ids(queue));
        }
        assertThat(orders.get(0)).isEqualTo(orders.get(1)).containsExactlyInAnyOrderElementsOf(rangeClosed(20));
    }

    private static List<Long> rangeClosed(int last) {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= last; id++) {
            ids.add(id);
        }
        return ids;
    }

    /** Returns the given {@code nextInt(bound)} draws in order. */
    private static final class ScriptedDraws implements RandomGenerator {

        private final int[] draws;
        private int next;

        ScriptedDraws(int... draws) {
            this.draws = draws;
        }

        @Override
        public int nextInt(int bound) {
            int draw = draws[next++];
            assertThat(draw).isBetween(0, bound - 1);
            return draw;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only nextInt(bound) is scripted");
        }
    }
}
