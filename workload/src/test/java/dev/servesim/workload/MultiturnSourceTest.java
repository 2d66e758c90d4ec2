package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.MultiturnConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiturnSourceTest {

    private static MultiturnConfig config(Double duration, Long sessions, int turns, double think, int prefixCount,
            int prefixTokens, Integer prompt, DistributionConfig promptDistribution, String overflow) {
        return new MultiturnConfig(2.0, duration, sessions, turns, think, prefixCount, prefixTokens, prompt,
                promptDistribution, 40, null, overflow);
    }

    private static TestingServingContext serve(MultiturnConfig config, long seed, int maxModelLen) {
        TestingServingContext context = TestingServingContext.serving(seed, maxModelLen, 0.2, 0.01);
        return context.run(new MultiturnSource(config, context));
    }

    private static Map<Long, List<Request>> bySession(List<Request> requests) {
        Map<Long, List<Request>> sessions = new LinkedHashMap<>();
        for (Request request : requests) {
            sessions.computeIfAbsent(request.sessionId(), id -> new ArrayList<>()).add(request);
        }
        return sessions;
    }

    @Test
    void everySessionRunsItsTurnsClosedLoopWithGrowingContext() {
        TestingServingContext context = serve(config(null, 50L, 4, 1.5, 1, 0, 100, null, null), 1, Integer.MAX_VALUE);
        Map<Long, RequestRecord> records = new LinkedHashMap<>();
        context.records().forEach(record -> records.put(record.request().id(), record));

        Map<Long, List<Request>> sessions = bySession(context.submitted());
        assertThat(sessions).hasSize(50);
        assertThat(context.submitted()).hasSize(200);
        for (List<Request> turns : sessions.values()) {
            assertThat(turns).extracting(Request::turn).containsExactly(1, 2, 3, 4);
            for (int k = 1; k < turns.size(); k++) {
                Request previous = turns.get(k - 1);
                Request next = turns.get(k);
                RequestRecord done = records.get(previous.id());
                assertThat(next.arrivalTime()).isCloseTo(done.finishTime() + 1.5, within(1e-9));
                assertThat(next.promptTokens()).isEqualTo(previous.promptTokens() + 40 + 100);
                BlockHashChain engine = BlockHashChain.builder(16).append(previous.prompt())
                        .append(previous.outputContentId(), 0, done.outputTokens()).build();
                BlockHashChain following = BlockHashChain.of(next.prompt(), 16);
                for (int b = 0; b < engine.fullBlocks(); b++) {
                    assertThat(following.hash(b)).isEqualTo(engine.hash(b));
                }
            }
        }
    }

    @Test
    void prefixesAreAssignedRoundRobin() {
        TestingServingContext context = serve(config(null, 9L, 1, 0, 3, 1024, 100, null, null), 2, Integer.MAX_VALUE);
        List<Request> firsts = context.submitted();
        assertThat(firsts).hasSize(9).allSatisfy(r -> assertThat(r.promptTokens()).isEqualTo(1124));
        for (int i = 0; i < 9; i++) {
            long prefix = firsts.get(i).prompt().segments().get(0).contentId();
            assertThat(firsts.get((i + 3) % 9).prompt().segments().get(0).contentId()).isEqualTo(prefix);
            assertThat(firsts.get((i + 1) % 9).prompt().segments().get(0).contentId()).isNotEqualTo(prefix);
        }
    }

    @Test
    void sessionsStartWithinTheDurationAndFinishTheirTurns() {
        TestingServingContext context = serve(config(30.0, null, 3, 5, 1, 0, 50, null, null), 3, Integer.MAX_VALUE);
        Map<Long, List<Request>> sessions = bySession(context.submitted());
        // about 60 sessions (Poisson, sd 7.7)
        assertThat((double) sessions.size()).isCloseTo(60, within(31.0));
        for (List<Request> turns : sessions.values()) {
            assertThat(turns.get(0).arrivalTime()).isLessThanOrEqualTo(30.0);
            assertThat(turns).hasSize(3);
        }
        assertThat(context.submitted().stream().mapToDouble(Request::arrivalTime).max().orElseThrow())
                .isGreaterThan(30.0);
    }

    @Test
    void turnLengthsFromADistribution() {
        DistributionConfig uniform = new DistributionConfig("uniform", null, null, null, null, null, 100.0, 300.0,
                null, null, null, null, null, null);
        TestingServingContext context = serve(config(null, 4000L, 1, 0, 1, 0, null, uniform, null), 4,
                Integer.MAX_VALUE);
        double mean = context.submitted().stream().mapToInt(Request::promptTokens).average().orElseThrow();
        // uniform on [100, 300]: sd 57.7
        assertThat(mean).isCloseTo(200, within(5 * 57.7 / Math.sqrt(4000)));
    }

    @Test
    void contextOverflowEndsOrTruncates() {
        // 500 + 40; +40 +500 = 1080 > 1000: the second turn does not fit
        TestingServingContext ended = serve(config(null, 20L, 5, 0, 1, 0, 500, null, "end"), 5, 1000);
        assertThat(ended.submitted()).hasSize(20).allSatisfy(r -> assertThat(r.turn()).isEqualTo(1));
        TestingServingContext truncated = serve(config(null, 20L, 5, 0, 1, 0, 500, null, "truncate"), 5, 1000);
        assertThat(truncated.submitted()).hasSize(100).allSatisfy(r ->
                assertThat(r.promptTokens() + r.maxOutputTokens()).isLessThanOrEqualTo(1000));
    }

    @Test
    void sameSeedSameSessions() {
        MultiturnConfig config = config(60.0, null, 4, 0.5, 2, 128,
                null, DistributionConfig.exponential(200), null);
        assertThat(serve(config, 9, 32_768).submitted()).isEqualTo(serve(config, 9, 32_768).submitted());
        assertThat(serve(config, 9, 32_768).submitted()).isNotEqualTo(serve(config, 10, 32_768).submitted());
    }
}
