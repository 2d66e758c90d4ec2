package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random sequences of admissions, prefill chunks, decode steps, finishes, retractions and evictions, drawn from a
 * seeded stream: after every operation free + cached + held by requests equals the pool's capacity, the evictable and
 * protected totals match a walk of the tree, and every node is whole pages.
 */
class RadixCacheInvariantTest {

    private static final int CAPACITY = 400;

    /** A request in flight: its tokens so far and its KV. */
    private static final class Live {
        final long id;
        final TokenKey.Builder tokens;
        final RequestKv kv;
        int outputs;

        Live(long id, TokenKey.Builder tokens, RequestKv kv) {
            this.id = id;
            this.tokens = tokens;
            this.kv = kv;
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1, lru", "2, 4, lru", "3, 1, lfu", "4, 4, fifo", "5, 1, mru", "6, 16, filo", "7, 4, priority"})
    void slotsBalanceThroughRandomOperations(long seed, int pageSize, String policy) {
        SplittableRandom random = new SplittableRandom(seed);
        RadixCache cache = new RadixCache(new SlotPool(CAPACITY), pageSize, EvictionPolicy.fromName(policy));
        List<Live> live = new ArrayList<>();
        long nextId = 1;
        double now = 0;
        for (int op = 0; op < 3000; op++) {
            now += 0.01;
            int draw = random.nextInt(100);
            if (draw < 25 || live.isEmpty()) {
                // a new request: a shared system prompt (3 kinds) of 1..40 tokens, then its own 1..30 tokens
                TokenKey.Builder tokens = TokenKey.builder()
                        .append(1 + random.nextInt(3), 0, 1 + random.nextInt(40))
                        .append(100 + random.nextInt(5), 0, 1 + random.nextInt(30));
                TokenKey prompt = tokens.build();
                RequestKv kv = cache.lock(cache.matchPrefix(prompt.prefix(prompt.length() - 1), now));
                if (cache.allocate(kv, prompt.length() - kv.kvTokens())) {
                    cache.cacheUnfinishedRequest(kv, prompt, now);
                    live.add(new Live(nextId++, tokens, kv));
                } else {
                    cache.release(kv);
                }
            } else if (draw < 70) {
                // a decode step of one request: one output token, cached as a chunk would be now and then
                Live request = live.get(random.nextInt(live.size()));
                if (cache.allocate(request.kv, 1)) {
                    request.tokens.append(1_000_000 + request.id, request.outputs++, 1);
                    if (random.nextInt(4) == 0) {
                        cache.cacheUnfinishedRequest(request.kv, request.tokens.build(), now);
                    }
                }
            } else if (draw < 85) {
                Live request = live.remove(random.nextInt(live.size()));
                cache.cacheFinishedRequest(request.kv, request.tokens.build(), now);
            } else if (draw < 92) {
                Live request = live.remove(random.nextInt(live.size()));
                cache.release(request.kv);
            } else {
                cache.evict(random.nextInt(60));
            }
            checkInvariants(cache, live);
        }
        for (Live request : live) {
            cache.cacheFinishedRequest(request.kv, request.tokens.build(), now);
        }
        checkInvariants(cache, List.of());
        assertThat(cache.protectedSize()).isZero();
        cache.evict(Integer.MAX_VALUE);
        assertThat(cache.totalSize()).isZero();
        assertThat(cache.pool().freeTokens()).isEqualTo(CAPACITY);
    }

    private static void checkInvariants(RadixCache cache, List<Live> live) {
        int held = 0;
        for (Live request : live) {
            assertThat(request.kv.ownTokens()).isNotNegative();
            held += request.kv.ownTokens();
        }
        assertThat(cache.pool().freeTokens() + cache.totalSize() + held).isEqualTo(CAPACITY);

        int evictable = 0;
        int locked = 0;
        List<TreeNode> leaves = new ArrayList<>();
        Deque<TreeNode> stack = new ArrayDeque<>(cache.root().children.values());
        while (!stack.isEmpty()) {
            TreeNode node = stack.pop();
            if (node.isLeaf()) {
                leaves.add(node);
            }
            assertThat(node.tokens() % cache.pageSize()).isZero();
            assertThat(node.tokens()).isPositive();
            assertThat(node.lockRef).isNotNegative();
            if (node.lockRef > 0) {
                locked += node.tokens();
                assertThat(node.parent == cache.root() || node.parent.lockRef >= node.lockRef).isTrue();
            } else {
                evictable += node.tokens();
            }
            stack.addAll(node.children.values());
        }
        assertThat(cache.evictableSize()).isEqualTo(evictable);
        assertThat(cache.protectedSize()).isEqualTo(locked);
        // the leaves the tree keeps for eviction are exactly the childless nodes a walk finds
        assertThat(cache.leaves()).containsExactlyInAnyOrderElementsOf(leaves);
    }
}
