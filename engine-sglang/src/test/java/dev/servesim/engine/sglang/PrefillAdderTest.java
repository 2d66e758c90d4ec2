package dev.servesim.engine.sglang;

import static dev.servesim.engine.sglang.TestingTrees.describe;
import static dev.servesim.engine.sglang.TestingTrees.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.engine.sglang.PrefillAdder.AddReqResult;
import dev.servesim.engine.sglang.Retraction.RunningRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admission worked out by hand from PrefillAdder: a request fits if input + min(max_new_tokens - outputs, 4096) is
 * below free + evictable - reserved, where reserved starts at ratio x min(remaining, 4096) over the running batch
 * and grows by each admitted request's input plus its clipped max_new_tokens.
 */
class PrefillAdderTest {

    private static WaitingRequest matched(RadixCache cache, WaitingRequest request) {
        RadixCache.MatchResult match = cache.matchPrefix(request.maxPrefix(), 0.0);
        request.prefixTokens = match.matchedTokens();
        request.lastNode = match.lastNode();
        return request;
    }

    @Test
    void theRunningBatchsReservationIsScaledByTheRatioAndClipped() {
        // 0.5 x min(410 - 10, 4096) + 0.5 x min(10010 - 10, 4096) = 200 + 2048
        assertThat(PrefillAdder.reservedDecodeTokens(List.of(
                new RunningRequest(1, 100, 10, 410, 0),
                new RunningRequest(2, 100, 10, 10_010, 0)), 0.5)).isCloseTo(2248, within(1e-9));
    }

    @Test
    void admitsWhileTheMemoryLeftAfterReservationsLasts() {
        RadixCache cache = new RadixCache(new SlotPool(1000), 1, EvictionPolicy.LRU);
        // reserved 0.5 x 400 = 200: 1000 - 200 = 800 left
        PrefillAdder adder = new PrefillAdder(cache, List.of(new RunningRequest(1, 100, 10, 410, 0)), 0.5, 500,
                PrefillAdder.NO_CHUNKING);
        assertThat(adder.remTotalTokens()).isCloseTo(800, within(1e-9));

        // 300 + 200 = 500 < 800: admitted; 800 - 500 = 300 left, 500 - 300 = 200 prefill tokens left
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(2, key(1, 300), 200))))
                .isEqualTo(AddReqResult.CONTINUE);
        assertThat(adder.remTotalTokens()).isCloseTo(300, within(1e-9));
        // 100 + 150 = 250 < 300: admitted; 50 left, 100 prefill tokens left
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(3, key(2, 100), 150))))
                .isEqualTo(AddReqResult.CONTINUE);
        assertThat(adder.remTotalTokens()).isCloseTo(50, within(1e-9));
        assertThat(adder.curRemTokens()).isEqualTo(1000 - 400);
        assertThat(adder.remInputTokens()).isEqualTo(100);
        // 10 + 100 = 110 >= 50: out of memory
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(4, key(3, 10), 100))))
                .isEqualTo(AddReqResult.NO_TOKEN);

        assertThat(adder.canRun()).extracting(admission -> admission.request().id).containsExactly(2L, 3L);
        assertThat(adder.canRun()).extracting(PrefillAdder.Admission::extendTokens).containsExactly(300, 100);
    }

    @Test
    void theFirstRequestIsAdmittedBeyondThePrefillBudgetAndNothingAfterIt() {
        RadixCache cache = new RadixCache(new SlotPool(1000), 1, EvictionPolicy.LRU);
        PrefillAdder adder = new PrefillAdder(cache, List.of(), 0.7, 100, PrefillAdder.NO_CHUNKING);

        // 150 >= 100 prefill tokens, but the batch is empty: admitted, leaving -50 prefill tokens
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(1, key(1, 150), 10))))
                .isEqualTo(AddReqResult.OTHER);
        // 10 >= -50 and the batch is not empty
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(2, key(2, 10), 10))))
                .isEqualTo(AddReqResult.OTHER);
        assertThat(adder.canRun()).hasSize(1);
    }

    @Test
    void aRequestLongerThanTheChunkIsCutToWholePages() {
        RadixCache cache = new RadixCache(new SlotPool(1000), 4, EvictionPolicy.LRU);
        PrefillAdder adder = new PrefillAdder(cache, List.of(), 0.7, 16_384, 66);

        // 150 tokens round up to 152 > 66: cut to 66 / 4 x 4 = 64, leaving 2 chunk tokens
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(1, key(1, 150), 10))))
                .isEqualTo(AddReqResult.CONTINUE);
        assertThat(adder.canRun().get(0).extendTokens()).isEqualTo(64);
        assertThat(adder.canRun().get(0).chunked()).isTrue();
        // 10 tokens round up to 12 > 2, and 2 / 4 x 4 = 0 pages: refused
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(2, key(2, 10), 10))))
                .isEqualTo(AddReqResult.OTHER);
    }

    @Test
    void lockingTheMatchedPrefixTakesItOutOfTheEvictableTokens() {
        RadixCache cache = new RadixCache(new SlotPool(300), 1, EvictionPolicy.LRU);
        RequestKv earlier = cache.lock(cache.matchPrefix(key(1, 100), 0.0));
        assertThat(cache.allocate(earlier, 100)).isTrue();
        cache.cacheFinishedRequest(earlier, key(1, 100), 0.0);
        // free 200, evictable 100
        PrefillAdder adder = new PrefillAdder(cache, List.of(), 0.7, 16_384, PrefillAdder.NO_CHUNKING);

        // 1:0-99 then 2:0-149 matches 100 and extends 150: 150 + 60 = 210 < 300 unlocked, but locked the 100
        // are not evictable and 210 >= 200
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(1, key(1, 100, 2, 150), 60))))
                .isEqualTo(AddReqResult.NO_TOKEN);
        assertThat(describe(cache)).isEqualTo("[1:0-99]");
        assertThat(cache.evictableSize()).isEqualTo(100);

        // with max_new_tokens 40: 190 < 200, admitted and the prefix stays locked; 200 - 190 = 10 left
        assertThat(adder.addOneRequest(matched(cache, new WaitingRequest(2, key(1, 100, 2, 150), 40))))
                .isEqualTo(AddReqResult.CONTINUE);
        assertThat(describe(cache)).isEqualTo("[1:0-99]*");
        assertThat(adder.remTotalTokens()).isCloseTo(10, within(1e-9));
        assertThat(adder.canRun().get(0).kv().cachedTokens()).isEqualTo(100);
    }
}
