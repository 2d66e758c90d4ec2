package dev.servesim.engine.vllm;

import static dev.servesim.testing.RecordingRequestListener.Type.FINISHED;
import static dev.servesim.testing.RecordingRequestListener.Type.PREEMPTED;
import static dev.servesim.testing.RecordingRequestListener.Type.PREFILL_CHUNK;
import static dev.servesim.testing.RecordingRequestListener.Type.QUEUED;
import static dev.servesim.testing.RecordingRequestListener.Type.REJECTED;
import static dev.servesim.testing.RecordingRequestListener.Type.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.cache.config.SessionCacheConfig;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.TestingContexts;
import dev.servesim.testing.TestingEngineContext;
import dev.servesim.testing.TestingPlugins;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Prefix caching as the engine sees it: a real {@link VllmEngine} with each real cache strategy, found by name,
 * serves requests one after another, and the tests check what it reports when it schedules each one (tokens found
 * cached and the strategy's event) and how many prompt tokens it computes. Expected values are worked out by hand
 * from vLLM's rules: a block is registered when the step that fills it is scheduled, generated tokens included, so a
 * finished request leaves KV for its prompt and every output but the last; a lookup may hit at most
 * {@code (numTokens - 1) / blockSize} blocks, so at least one prompt token is computed. Blocks hold 16 tokens.
 */
class VllmPrefixCachingTest {

    private static final int BLOCK = 16;
    private static final double STEP = 0.5;
    private static final Segment SYSTEM = new Segment(100, 32);

    private TestingEngineContext context;
    private VllmEngine engine;

    /** What the engine reported for one request. */
    private record Outcome(String event, int cachedTokens, int computedPromptTokens) {}

    @ParameterizedTest
    @CsvSource({
            "block-hash, MISS, HIT, HIT",
            "radix, MISS, HIT, HIT",
            "session, MISS_FULL, FULL_HIT_NO_PREFILL_NEEDED, CROSS_REQUEST_HIT"})
    void aBlockAlignedPromptFullyCachedStillComputesItsLastBlock(String strategy, String first, String again,
            String longer) {
        start(strategy, 8);
        PromptContent prompt = PromptContent.single(5, 32);

        assertThat(serve(Request.single(1, 0, prompt, 1))).isEqualTo(new Outcome(first, 0, 32));
        // both blocks are cached, but at most (32 - 1) / 16 = 1 may hit: the second is computed again
        assertThat(serve(Request.single(2, 0, prompt, 1))).isEqualTo(new Outcome(again, 16, 16));
        // one token more: both blocks hit and only that token is computed
        assertThat(serve(Request.single(3, 0, PromptContent.single(5, 33), 1))).isEqualTo(new Outcome(longer, 32, 1));
    }

    @ParameterizedTest
    @CsvSource({
            "block-hash, MISS, PARTIAL_HIT",
            "radix, MISS, PARTIAL_HIT",
            "session, MISS_FULL, CONVERSATIONAL_HIT"})
    void blocksFilledByGeneratedTokensAreRegisteredAndHitByTheNextTurn(String strategy, String first, String next) {
        start(strategy, 16);
        Request turn1 = turn(1, 7, 1, PromptContent.single(1, 32), 24);
        assertThat(serve(turn1)).isEqualTo(new Outcome(first, 0, 32));
        // KV for 32 + 24 - 1 = 55 positions: the prompt's 2 blocks and one of outputs 1..16; outputs 17..24 fill
        // no block (the 24th is never computed)
        assertThat(context.cache().stats().cachedBlocks()).isEqualTo(3);

        // 32 + 24 + 20 = 76 tokens: at most 4 blocks may hit, 3 are cached
        Request turn2 = turn(2, 7, 2, followUp(turn1, new Segment(2, 20)), 1);
        assertThat(serve(turn2)).isEqualTo(new Outcome(next, 48, 28));
    }

    @ParameterizedTest
    @CsvSource({
            "block-hash, MISS, PARTIAL_HIT, MISS",
            "radix, MISS, PARTIAL_HIT, MISS",
            "session, MISS_FULL, CROSS_REQUEST_HIT, MISS_FULL"})
    void sharedSystemPromptsHitAcrossSessions(String strategy, String first, String sharing, String other) {
        start(strategy, 16);
        // 40 tokens: two and a half blocks
        Segment system = new Segment(200, 40);
        assertThat(serve(Request.single(1, 0, PromptContent.of(system, new Segment(1, 12)), 2)))
                .isEqualTo(new Outcome(first, 0, 52));

        // the system prompt's first 2 blocks are shared; the third mixes its last 8 tokens with the question's
        assertThat(serve(Request.single(2, 0, PromptContent.of(system, new Segment(2, 12)), 2)))
                .isEqualTo(new Outcome(sharing, 32, 20));
        assertThat(serve(Request.single(3, 0, PromptContent.single(3, 12), 2))).isEqualTo(new Outcome(other, 0, 12));
    }

    @ParameterizedTest
    @CsvSource({"block-hash, MISS", "radix, MISS", "session, MISS_FULL"})
    void aPromptShorterThanTwoBlocksCannotHit(String strategy, String event) {
        start(strategy, 4);
        PromptContent prompt = PromptContent.single(1, 16);
        assertThat(serve(Request.single(1, 0, prompt, 1))).isEqualTo(new Outcome(event, 0, 16));
        assertThat(context.cache().stats().cachedBlocks()).isEqualTo(1);

        // its one block is cached, but (16 - 1) / 16 = 0 blocks may hit
        assertThat(serve(Request.single(2, 0, prompt, 1))).isEqualTo(new Outcome(event, 0, 16));
        assertThat(context.cache().stats().queriedTokens()).isEqualTo(32);
        assertThat(context.cache().stats().hitTokens()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
            "disabled, MISS, 0, MISS",
            "session, MISS_FULL, 48, CONVERSATIONAL_HIT",
            "block-hash, MISS, 48, PARTIAL_HIT",
            "radix, MISS, 48, PARTIAL_HIT"})
    void runsTwoTurnsOfAConversationWithEachStrategy(String strategy, String firstEvent,
            int secondHitTokens, String secondEvent) {
        start(strategy, 64);
        Request first = turn(1, 9, 1, PromptContent.single(1, 40), 10);
        Request second = turn(2, 9, 2, followUp(first, new Segment(2, 20)), 5);

        assertThat(serve(first)).isEqualTo(new Outcome(firstEvent, 0, 40));
        // first left KV for 40 + 10 - 1 = 49 positions: 3 full blocks; second has 70 tokens, so 4 may hit
        assertThat(serve(second)).isEqualTo(new Outcome(secondEvent, secondHitTokens, 70 - secondHitTokens));
        assertThat(context.cache().freeBlocks()).isEqualTo(64);
        assertThat(context.cache().stats().queriedTokens()).isEqualTo(40 + 70);
        assertThat(context.cache().stats().hitTokens()).isEqualTo(secondHitTokens);
    }

    // the session strategy's events, which tell how a request relates to its session's context

    @Test
    void aFollowUpTurnReusesItsSessionsPromptAndResponse() {
        start("session", 32);
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 20)), 16);
        assertThat(serve(first)).isEqualTo(new Outcome("MISS_FULL", 0, 52));
        // 52 prompt tokens + 15 computed outputs: 4 full blocks in the session's context

        Request second = turn(2, 7, 2, followUp(first, new Segment(2, 24)), 12);
        assertThat(serve(second)).isEqualTo(new Outcome("CONVERSATIONAL_HIT", 64, 28));
        // 92 + 11 positions: 6 full blocks in the context

        // 112 tokens, block-aligned: 6 of its 7 blocks are cached and may hit
        Request third = turn(3, 7, 3, followUp(second, new Segment(3, 8)), 1);
        assertThat(serve(third)).isEqualTo(new Outcome("CONVERSATIONAL_HIT", 96, 16));
    }

    @Test
    void aRepeatedBlockAlignedPromptIsAFullHitThatStillComputesItsLastBlock() {
        start("session", 32);
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 32)), 1);
        serve(first);

        assertThat(serve(turn(2, 7, 2, first.prompt(), 1)))
                .isEqualTo(new Outcome("FULL_HIT_NO_PREFILL_NEEDED", 48, 16));
        // a block-aligned prompt inside the context
        assertThat(serve(turn(3, 7, 3, PromptContent.of(SYSTEM, new Segment(1, 16)), 1)))
                .isEqualTo(new Outcome("FULL_HIT_NO_PREFILL_NEEDED", 32, 16));
    }

    @Test
    void aRepeatedPromptWithAPartialLastBlockIsAConversationalHit() {
        start("session", 32);
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 20)), 1);
        serve(first);

        // the last 4 tokens sit in no cached block of their own: they are computed, as in vLLM
        assertThat(serve(turn(2, 7, 2, first.prompt(), 1))).isEqualTo(new Outcome("CONVERSATIONAL_HIT", 48, 4));
    }

    @Test
    void aPromptThatDoesNotContinueItsContextIsAnUnexpectedMiss() {
        start("session", 32);
        serve(turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 32)), 1));

        assertThat(serve(turn(2, 7, 2, PromptContent.single(3, 40), 1)))
                .isEqualTo(new Outcome("CONVERSATIONAL_MISS_UNEXPECTED_PROMPT", 0, 40));
    }

    @Test
    void aRewrittenHistoryReusesOnlyWhatItSharesWithTheContext() {
        start("session", 32);
        serve(turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 32)), 1));

        assertThat(serve(turn(2, 7, 2, PromptContent.of(SYSTEM, new Segment(4, 36)), 1)))
                .isEqualTo(new Outcome("CONVERSATIONAL_MISS_UNEXPECTED_PROMPT", 32, 36));
    }

    @Test
    void aFirstTurnSharingAnotherSessionsSystemPromptIsACrossRequestHit() {
        start("session", 32);
        serve(turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 20)), 1));

        assertThat(serve(turn(2, 8, 1, PromptContent.of(SYSTEM, new Segment(2, 12)), 1)))
                .isEqualTo(new Outcome("CROSS_REQUEST_HIT", 32, 12));
    }

    @Test
    void withoutCrossSessionHitsOnlyTheOwnContextIsReused() {
        start((blocks, blockSize) -> create(TestingPlugins.cacheStrategy("session"), new SessionCacheConfig(false),
                TestingContexts.cache(blocks, blockSize)), 32);
        Request first = turn(1, 7, 1, PromptContent.of(SYSTEM, new Segment(1, 20)), 1);
        serve(first);

        assertThat(serve(turn(2, 8, 1, PromptContent.of(SYSTEM, new Segment(2, 12)), 1)))
                .isEqualTo(new Outcome("MISS_FULL", 0, 44));
        // 52 + 1 + 12 = 65 tokens; the context is the 3 full blocks of the first turn's prompt
        assertThat(serve(turn(3, 7, 2, followUp(first, new Segment(3, 12)), 1)))
                .isEqualTo(new Outcome("CONVERSATIONAL_HIT", 48, 17));
    }

    private void start(String strategy, int blocks) {
        start(new TestingEngineContext(1, strategy), blocks);
    }

    private void start(TestingEngineContext.CacheFactory cache, int blocks) {
        start(new TestingEngineContext(1, cache), blocks);
    }

    /** An engine with {@code blocks} usable KV blocks (vLLM keeps one more as its null block) and 0.5 s steps. */
    private void start(TestingEngineContext engineContext, int blocks) {
        context = engineContext;
        engine = new VllmEngine(VllmSetup.of(TestingVllmConfig.of("block_size", BLOCK, "num_gpu_blocks", blocks + 1,
                "async_scheduling", false)), context, batch -> STEP);
        assertThat(engine.load().kvBlocksTotal()).isEqualTo(blocks);
    }

    /**
     * Serves {@code request} alone: it arrives when the engine is idle (its own arrival time is replaced by the
     * simulated time at which the previous request finished) and runs to completion.
     */
    private Outcome serve(Request request) {
        double now = context.simulation().now();
        Request arriving = new Request(request.id(), request.sessionId(), request.turn(), now, request.prompt(),
                request.maxOutputTokens(), request.priority(), request.profile());
        context.simulation().scheduleAt(now, () -> engine.submit(arriving));
        context.simulation().run(Double.MAX_VALUE);

        List<Event> events = context.recorded().events(request.id());
        assertThat(events).extracting(Event::type).startsWith(QUEUED, SCHEDULED).endsWith(FINISHED)
                .containsOnlyOnce(SCHEDULED).doesNotContain(PREEMPTED, REJECTED);
        assertThat(engine.load().kvBlocksUsed()).isZero();
        Event scheduled = events.get(1);
        int computed = events.stream().filter(event -> event.type() == PREFILL_CHUNK).mapToInt(Event::value).sum();
        return new Outcome(scheduled.detail(), scheduled.value(), computed);
    }

    private static Request turn(long id, long session, int turn, PromptContent prompt, int outputs) {
        return new Request(id, session, turn, 0, prompt, outputs, 0, "");
    }

    /** The next turn's prompt: the previous prompt, its whole response, then a new message. */
    private static PromptContent followUp(Request previous, Segment message) {
        return previous.prompt().append(List.of(new Segment(previous.outputContentId(), previous.maxOutputTokens()),
                message));
    }

    private static <C extends Record> KvCacheStrategy create(KvCacheStrategyFactory<C> factory, Record config,
            CacheContext cacheContext) {
        return factory.create(factory.resolve(factory.configType().cast(config)), cacheContext);
    }
}
