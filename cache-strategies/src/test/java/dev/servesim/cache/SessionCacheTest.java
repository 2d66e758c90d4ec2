package dev.servesim.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.cache.TestingEngine.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionCacheTest {

    private static final int BLOCK = 4;
    private static final Segment SYSTEM = new Segment(100, 8);

    private final SessionCache cache = new SessionCache(32, BLOCK, true);
    private final TestingEngine engine = new TestingEngine(cache, 32, BLOCK, cache::verify);

    private static Request turn(long id, long session, int turn, PromptContent prompt, int outputs) {
        return new Request(id, session, turn, 0, prompt, outputs, 0, "");
    }

    /** The next turn's prompt: the previous prompt, its whole response, then a new message. */
    private static PromptContent followUp(Request previous, Segment message) {
        return previous.prompt().append(List.of(new Segment(previous.outputContentId(), previous.maxOutputTokens()),
                message));
    }

    @Test
    void aFollowUpTurnReusesItsSessionsPromptAndResponse() {
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 5)), 4);
        assertThat(engine.run(first)).isEqualTo(new Outcome("MISS_FULL", 0, 13));
        // 13 prompt tokens + 3 computed outputs: 4 full blocks in the session's context

        Request second = turn(2, 7, 2, followUp(first, new Segment(2, 6)), 3);
        assertThat(engine.run(second)).isEqualTo(new Outcome("CONVERSATIONAL_HIT", 16, 7));

        Request third = turn(3, 7, 3, followUp(second, new Segment(3, 2)), 1);
        assertThat(engine.run(third)).isEqualTo(new Outcome("CONVERSATIONAL_HIT", 24, 4));
    }

    @Test
    void aRepeatedBlockAlignedPromptIsAFullHitThatStillComputesItsLastBlock() {
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 8)), 1);
        engine.run(first);

        assertThat(engine.run(turn(2, 7, 2, first.prompt(), 1)))
                .isEqualTo(new Outcome("FULL_HIT_NO_PREFILL_NEEDED", 12, 4));
        // a block-aligned prompt inside the context
        assertThat(engine.run(turn(3, 7, 3, PromptContent.of(SYSTEM, new Segment(1, 4)), 1)))
                .isEqualTo(new Outcome("FULL_HIT_NO_PREFILL_NEEDED", 8, 4));
    }

    @Test
    void aRepeatedPromptWithAPartialLastBlockIsAConversationalHit() {
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 5)), 1);
        engine.run(first);

        // the 13th token sits in no cached block of its own: it is computed, as in vLLM
        assertThat(engine.run(turn(2, 7, 2, first.prompt(), 1)))
                .isEqualTo(new Outcome("CONVERSATIONAL_HIT", 12, 1));
    }

    @Test
    void aPromptThatDoesNotContinueItsContextIsAnUnexpectedMiss() {
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 8)), 1);
        engine.run(first);

        assertThat(engine.run(turn(2, 7, 2, PromptContent.single(3, 10), 1)))
                .isEqualTo(new Outcome("CONVERSATIONAL_MISS_UNEXPECTED_PROMPT", 0, 10));
    }

    @Test
    void aRewrittenHistoryReusesOnlyWhatItSharesWithTheContext() {
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 8)), 1);
        engine.run(first);

        assertThat(engine.run(turn(2, 7, 2, PromptContent.of(SYSTEM, new Segment(4, 9)), 1)))
                .isEqualTo(new Outcome("CONVERSATIONAL_MISS_UNEXPECTED_PROMPT", 8, 9));
    }

    @Test
    void aFirstTurnSharingAnotherSessionsSystemPromptIsACrossRequestHit() {
        engine.run(turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 5)), 1));

        assertThat(engine.run(turn(2, 8, 1, PromptContent.of(SYSTEM, new Segment(2, 3)), 1)))
                .isEqualTo(new Outcome("CROSS_REQUEST_HIT", 8, 3));
    }

    @Test
    void withoutCrossSessionHitsOnlyTheOwnContextIsReused() {
        SessionCache ownOnly = new SessionCache(32, BLOCK, false);
        TestingEngine ownEngine = new TestingEngine(ownOnly, 32, BLOCK, ownOnly::verify);
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 5)), 1);
        ownEngine.run(first);

        assertThat(ownEngine.run(turn(2, 8, 1, PromptContent.of(SYSTEM, new Segment(2, 3)), 1)))
                .isEqualTo(new Outcome("MISS_FULL", 0, 11));
        assertThat(ownEngine.run(turn(3, 7, 2, followUp(first, new Segment(3, 3)), 1)))
                .isEqualTo(new Outcome("CONVERSATIONAL_HIT", 12, 5));
    }

    @Test
    void evictsTheLeastRecentlyUsedSessionWholeOnlyWhenNoPlainBlockIsLeft() {
        SessionCache small = new SessionCache(10, BLOCK, true);
        TestingEngine smallEngine = new TestingEngine(small, 10, BLOCK, small::verify);
        Request[] sessions = new Request[3];
        for (int s = 0; s < 3; s++) {
            sessions[s] = turn(s + 1, s + 1, 1, PromptContent.single(11 + s, 8), 1);
            smallEngine.run(sessions[s]);
        }
        assertThat(small.stats().cachedBlocks()).isEqualTo(6);

        // 5 blocks: the 4 plain free blocks, then all of session 1's blocks
        smallEngine.run(turn(10, 10, 1, PromptContent.single(20, 17), 1));
        assertThat(small.stats().evictedBlocks()).isEqualTo(2);

        assertThat(smallEngine.run(turn(11, 2, 2, followUp(sessions[1], new Segment(31, 2)), 1)))
                .isEqualTo(new Outcome("CONVERSATIONAL_HIT", 8, 3));
        assertThat(smallEngine.run(turn(12, 1, 2, followUp(sessions[0], new Segment(30, 2)), 1)))
                .isEqualTo(new Outcome("MISS_FULL", 0, 11));
    }

    @Test
    void aSessionThatRegistersAgainBecomesTheMostRecentlyUsed() {
        SessionCache small = new SessionCache(10, BLOCK, true);
        TestingEngine smallEngine = new TestingEngine(small, 10, BLOCK, small::verify);
        Request[] sessions = new Request[3];
        for (int s = 0; s < 3; s++) {
            sessions[s] = turn(s + 1, s + 1, 1, PromptContent.single(11 + s, 8), 1);
            smallEngine.run(sessions[s]);
        }
        Request again = turn(4, 1, 2, followUp(sessions[0], new Segment(30, 3)), 1);
        assertThat(smallEngine.run(again)).isEqualTo(new Outcome("CONVERSATIONAL_HIT", 8, 4));

        // 3 plain free blocks left, then session 2 (now the least recently used) goes
        smallEngine.run(turn(10, 10, 1, PromptContent.single(20, 17), 1));
        assertThat(small.stats().evictedBlocks()).isEqualTo(2);
        assertThat(smallEngine.run(turn(11, 2, 2, followUp(sessions[1], new Segment(31, 2)), 1)).event())
                .isEqualTo("MISS_FULL");
        assertThat(smallEngine.run(turn(12, 1, 3, followUp(again, new Segment(32, 2)), 1)).event())
                .isEqualTo("CONVERSATIONAL_HIT");
    }

    @Test
    void aSharedPrefixBelongsToItsLastUserAndSurvivesTheEvictionOfTheSessionThatComputedIt() {
        SessionCache small = new SessionCache(8, BLOCK, true);
        TestingEngine smallEngine = new TestingEngine(small, 8, BLOCK, small::verify);
        smallEngine.run(turn(1, 1, 1, PromptContent.of(SYSTEM, new Segment(1, 4)), 1));
        assertThat(smallEngine.run(turn(2, 2, 1, PromptContent.of(SYSTEM, new Segment(2, 4)), 1)))
                .isEqualTo(new Outcome("CROSS_REQUEST_HIT", 8, 4));
        // 4 blocks cached: the system prompt (now session 2's), session 1's and session 2's own block

        // 5 blocks: the 4 plain ones, then session 1, which only owns its own block
        smallEngine.run(turn(3, 3, 1, PromptContent.single(3, 17), 1));
        assertThat(small.stats().evictedBlocks()).isEqualTo(1);
        assertThat(smallEngine.run(turn(4, 4, 1, PromptContent.of(SYSTEM, new Segment(4, 3)), 1)))
                .isEqualTo(new Outcome("CROSS_REQUEST_HIT", 8, 3));
    }
}
