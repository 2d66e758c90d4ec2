package dev.servesim.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.cache.PrefixMatch;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole-session eviction, driven through the strategy's protocol. The events a session's turns get, as the engine
 * reports them, are checked in engine-vllm's {@code VllmPrefixCachingTest}.
 */
class SessionCacheTest {

    private static final int BLOCK = 4;
    private static final Segment SYSTEM = new Segment(100, 8);

    /** What a lookup found: its event and the tokens in the blocks it returned. */
    private record Lookup(String event, int hitTokens) {}

    private static Request turn(long id, long session, int turn, PromptContent prompt) {
        return new Request(id, session, turn, 0, prompt, 1, 0, "");
    }

    /** The next turn's prompt: the previous prompt, its one-token response, then a new message. */
    private static PromptContent followUp(Request previous, Segment message) {
        return previous.prompt().append(List.of(new Segment(previous.outputContentId(), 1), message));
    }

    /**
     * Serves a request with one output token, alone, as the engine does: looks its prompt up (at most
     * {@code (tokens - 1) / BLOCK} blocks may hit), acquires the hits, allocates a block for each further block of the
     * prompt, registers the full ones, then releases them all, last first.
     */
    private static Lookup serve(SessionCache cache, Request request) {
        BlockHashChain chain = BlockHashChain.of(request.prompt(), BLOCK);
        PrefixMatch match = cache.match(request, chain, (chain.tokens() - 1) / BLOCK);
        int[] hits = match.blockIds();
        Protocol.releaseAll(cache, Protocol.hold(cache, request, chain, hits));
        cache.verify();
        return new Lookup(match.event(), match.blocks() * BLOCK);
    }

    /** Sessions 1, 2 and 3, in that order, each a first turn of 8 tokens: blocks 0-1, 2-3 and 4-5. */
    private static Request[] threeSessions(SessionCache cache) {
        Request[] sessions = new Request[3];
        for (int s = 0; s < 3; s++) {
            sessions[s] = turn(s + 1, s + 1, 1, PromptContent.single(11 + s, 8));
            assertThat(serve(cache, sessions[s])).isEqualTo(new Lookup("MISS_FULL", 0));
        }
        assertThat(cache.stats().cachedBlocks()).isEqualTo(6);
        return sessions;
    }

    @Test
    void evictsTheLeastRecentlyUsedSessionWholeOnlyWhenNoPlainBlockIsLeft() {
        SessionCache cache = new SessionCache(10, BLOCK, true);
        Request[] sessions = threeSessions(cache);

        // 5 blocks: the 4 plain free blocks, then all of session 1's blocks
        serve(cache, turn(10, 10, 1, PromptContent.single(20, 17)));
        assertThat(cache.stats().evictedBlocks()).isEqualTo(2);

        assertThat(serve(cache, turn(11, 2, 2, followUp(sessions[1], new Segment(31, 2)))))
                .isEqualTo(new Lookup("CONVERSATIONAL_HIT", 8));
        assertThat(serve(cache, turn(12, 1, 2, followUp(sessions[0], new Segment(30, 2)))))
                .isEqualTo(new Lookup("MISS_FULL", 0));
    }

    @Test
    void aSessionThatRegistersAgainBecomesTheMostRecentlyUsed() {
        SessionCache cache = new SessionCache(10, BLOCK, true);
        Request[] sessions = threeSessions(cache);
        Request again = turn(4, 1, 2, followUp(sessions[0], new Segment(30, 3)));
        assertThat(serve(cache, again)).isEqualTo(new Lookup("CONVERSATIONAL_HIT", 8));

        // 3 plain free blocks left, then session 2 (now the least recently used) goes
        serve(cache, turn(10, 10, 1, PromptContent.single(20, 17)));
        assertThat(cache.stats().evictedBlocks()).isEqualTo(2);
        assertThat(serve(cache, turn(11, 2, 2, followUp(sessions[1], new Segment(31, 2)))))
                .isEqualTo(new Lookup("MISS_FULL", 0));
        // request 11 took the last plain block, then session 3's blocks, not those of session 1
        assertThat(cache.stats().evictedBlocks()).isEqualTo(4);
        assertThat(serve(cache, turn(12, 1, 3, followUp(again, new Segment(32, 2)))))
                .isEqualTo(new Lookup("CONVERSATIONAL_HIT", 12));
    }

    @Test
    void aSharedPrefixBelongsToItsLastUserAndSurvivesTheEvictionOfTheSessionThatComputedIt() {
        SessionCache cache = new SessionCache(8, BLOCK, true);
        serve(cache, turn(1, 1, 1, PromptContent.of(SYSTEM, new Segment(1, 4))));
        assertThat(serve(cache, turn(2, 2, 1, PromptContent.of(SYSTEM, new Segment(2, 4)))))
                .isEqualTo(new Lookup("CROSS_REQUEST_HIT", 8));
        // 4 blocks cached: the system prompt (now session 2's), session 1's and session 2's own block
        assertThat(cache.stats().cachedBlocks()).isEqualTo(4);

        // 5 blocks: the 4 plain ones, then session 1, which only owns its own block
        serve(cache, turn(3, 3, 1, PromptContent.single(3, 17)));
        assertThat(cache.stats().evictedBlocks()).isEqualTo(1);
        assertThat(serve(cache, turn(4, 4, 1, PromptContent.of(SYSTEM, new Segment(4, 3)))))
                .isEqualTo(new Lookup("CROSS_REQUEST_HIT", 8));
    }
}
