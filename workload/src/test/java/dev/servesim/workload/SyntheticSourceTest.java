package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ServesimException;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.workload.config.ClientProfileConfig;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.SyntheticConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {

    private static DistributionConfig constant(double value) {
        return DistributionConfig.constant(value);
    }

    private static DistributionConfig lognormal(double mean, double stddev) {
        return new DistributionConfig("lognormal", null, mean, stddev, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** A profile: name, weight, inter-arrival, prompt, output, follow-up, conversational probability, think, turns. */
    private static ClientProfileConfig profile(String name, Double weight, DistributionConfig interArrival,
            DistributionConfig prompt, DistributionConfig output, DistributionConfig followUp, double conversational,
            DistributionConfig think, int maxTurns, double continuation) {
        return new ClientProfileConfig(name, weight, interArrival, prompt, output, followUp, 0, conversational, think,
                maxTurns, continuation, 1.0, 0, null);
    }

    private static ClientProfileConfig singleShot(String name, Double weight) {
        return profile(name, weight, null, constant(100), constant(10), null, 0, null, 1, 1);
    }

    private static ClientProfileConfig chat(double continuation, int maxTurns) {
        return profile("chat", null, null, constant(100), constant(50), constant(30), 1.0, constant(2), maxTurns,
                continuation);
    }

    private static TestingServingContext serve(SyntheticConfig config, long seed, int maxModelLen) {
        TestingServingContext context = TestingServingContext.serving(seed, maxModelLen, 0.1, 0.01);
        return context.run(new SyntheticSource(config, context));
    }

    private static Map<Long, List<Request>> bySession(List<Request> requests) {
        Map<Long, List<Request>> sessions = new LinkedHashMap<>();
        for (Request request : requests) {
            sessions.computeIfAbsent(request.sessionId(), id -> new ArrayList<>()).add(request);
        }
        return sessions;
    }

    @Test
    void weightsSplitTheRateBetweenProfiles() {
        SyntheticConfig config = new SyntheticConfig(10.0, 400.0, null,
                List.of(singleShot("heavy", 3.0), singleShot("light", 1.0)), null, null);
        TestingServingContext context = TestingServingContext.openLoop(5);
        context.run(new SyntheticSource(config, context));

        long heavy = context.submitted().stream().filter(r -> r.profile().equals("heavy")).count();
        long light = context.submitted().stream().filter(r -> r.profile().equals("light")).count();
        // Poisson counts: 3000 (sd 55) and 1000 (sd 32); 4 sd
        assertThat((double) heavy).isCloseTo(3000, within(220.0));
        assertThat((double) light).isCloseTo(1000, within(128.0));
        assertThat(context.submitted()).allSatisfy(r -> assertThat(r.arrivalTime()).isLessThanOrEqualTo(400.0));
    }

    @Test
    void interArrivalGivesTheShapeAndTheRateTheMean() {
        // gamma of shape 0.25: squared coefficient of variation 4; rescaled to mean 1/4 s
        DistributionConfig bursty = new DistributionConfig("gamma", null, null, null, 0.25, 7.0, null, null, null,
                null, null, null, null, null);
        ClientProfileConfig profile = profile("bursty", null, bursty, constant(10), constant(1), null, 0, null, 1, 1);
        SyntheticConfig config = new SyntheticConfig(4.0, null, 40_000L, List.of(profile), null, null);
        TestingServingContext context = TestingServingContext.openLoop(9);
        context.run(new SyntheticSource(config, context));

        List<Request> requests = context.submitted();
        assertThat(requests).hasSize(40_000);
        double sum = 0;
        double squares = 0;
        for (int i = 1; i < requests.size(); i++) {
            double gap = requests.get(i).arrivalTime() - requests.get(i - 1).arrivalTime();
            sum += gap;
            squares += gap * gap;
        }
        int n = requests.size() - 1;
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        assertThat(mean).isCloseTo(0.25, within(5 * 0.5 / Math.sqrt(n)));
        assertThat(variance / (mean * mean)).isCloseTo(4, within(0.4));
    }

    @Test
    void withoutRateEachProfileUsesItsGapsAsWritten() {
        ClientProfileConfig clock = profile("clock", null, constant(0.5), constant(10), constant(1), null, 0, null, 1,
                1);
        SyntheticConfig config = new SyntheticConfig(null, 2.0, null, List.of(clock), null, null);
        TestingServingContext context = TestingServingContext.openLoop(1);
        context.run(new SyntheticSource(config, context));
        assertThat(context.submitted()).extracting(Request::arrivalTime).containsExactly(0.5, 1.0, 1.5, 2.0);
    }

    @Test
    void followUpTurnsExtendThePreviousTurnIncludingItsResponse() {
        SyntheticConfig config = new SyntheticConfig(1.0, null, 400L, List.of(chat(1.0, 4)), null, null);
        TestingServingContext context = serve(config, 3, Integer.MAX_VALUE);

        Map<Long, RequestRecord> records = new LinkedHashMap<>();
        for (RequestRecord record : context.records()) {
            records.put(record.request().id(), record);
        }
        int followUps = 0;
        for (List<Request> turns : bySession(context.submitted()).values()) {
            for (int k = 1; k < turns.size(); k++) {
                Request previous = turns.get(k - 1);
                Request next = turns.get(k);
                RequestRecord done = records.get(previous.id());
                assertThat(next.turn()).isEqualTo(previous.turn() + 1);
                assertThat(next.promptTokens()).isEqualTo(previous.promptTokens() + done.outputTokens() + 30);
                // sent a think time (constant 2 s) after the previous turn completed
                assertThat(next.arrivalTime()).isCloseTo(done.finishTime() + 2, within(1e-9));
                // the engine's chain of the previous turn, output tokens appended one at a time as vLLM does
                BlockHashChain.Builder engine = BlockHashChain.builder(16).append(previous.prompt());
                for (int t = 0; t < done.outputTokens(); t++) {
                    engine.append(previous.outputContentId(), t, 1);
                }
                BlockHashChain following = BlockHashChain.of(next.prompt(), 16);
                assertThat(engine.fullBlocks()).isGreaterThan(0);
                for (int b = 0; b < engine.fullBlocks(); b++) {
                    assertThat(following.hash(b)).isEqualTo(engine.hash(b));
                }
                followUps++;
            }
            assertThat(turns).hasSizeLessThanOrEqualTo(4);
        }
        assertThat(followUps).isGreaterThan(200);
    }

    @Test
    void withoutAccumulationEveryTurnIsFresh() {
        SyntheticConfig config = new SyntheticConfig(1.0, null, 200L, List.of(chat(1.0, 3)), false, null);
        TestingServingContext context = serve(config, 3, Integer.MAX_VALUE);
        for (List<Request> turns : bySession(context.submitted()).values()) {
            assertThat(turns.get(0).promptTokens()).isEqualTo(100);
            for (int k = 1; k < turns.size(); k++) {
                assertThat(turns.get(k).promptTokens()).isEqualTo(30);
            }
        }
    }

    @Test
    void continuationProbabilityAndMaxTurnsBoundSessions() {
        SyntheticConfig config = new SyntheticConfig(5.0, null, 40_000L, List.of(chat(0.5, 4)), null, null);
        TestingServingContext context = serve(config, 17, Integer.MAX_VALUE);
        Map<Long, List<Request>> sessions = bySession(context.submitted());
        double turns = 0;
        int complete = 0;
        for (List<Request> session : sessions.values()) {
            assertThat(session.size()).isBetween(1, 4);
            // sessions started near the end may have been cut by the request limit
            if (session.get(0).id() < 39_000) {
                turns += session.size();
                complete++;
            }
        }
        // 1 + 1/2 + 1/4 + 1/8 turns on average
        assertThat(turns / complete).isCloseTo(1.875, within(0.03));
        assertThat(context.submitted()).hasSize(40_000);
    }

    @Test
    void endPolicyEndsASessionAtTheContextLimit() {
        // turns need 300+100, 600+100, 900+100, then 1200+100 > 1000: three turns each
        ClientProfileConfig profile = profile("chat", null, null, constant(300), constant(100), constant(200), 1.0,
                constant(1), 10, 1.0);
        SyntheticConfig config = new SyntheticConfig(0.5, null, 300L, List.of(profile), true, "end");
        TestingServingContext context = TestingServingContext.serving(2, 1000, 0.1, 0.01);
        SyntheticSource source = new SyntheticSource(config, context);
        context.run(source);
        assertThat(context.submitted()).allSatisfy(r ->
                assertThat(r.promptTokens() + r.maxOutputTokens()).isLessThanOrEqualTo(1000));
        Map<Long, List<Request>> sessions = bySession(context.submitted());
        assertThat(sessions.values()).allSatisfy(s -> assertThat(s).hasSize(3));
        // the last session's fourth turn was stopped by num_requests before it was fitted
        assertThat(source.counters()).containsEntry("sessions_ended_at_context", sessions.size() - 1L)
                .containsEntry("requests", 300L).containsEntry("follow_up_turns", 200L);
    }

    @Test
    void truncatePolicyDropsTheOldestTurns() {
        ClientProfileConfig profile = profile("chat", null, null, constant(300), constant(100), constant(200), 1.0,
                constant(1), 10, 1.0);
        SyntheticConfig config = new SyntheticConfig(0.1, null, 500L, List.of(profile), true, "truncate");
        TestingServingContext context = TestingServingContext.serving(2, 1000, 0.1, 0.01);
        SyntheticSource source = new SyntheticSource(config, context);
        context.run(source);
        assertThat(context.submitted()).allSatisfy(r ->
                assertThat(r.promptTokens() + r.maxOutputTokens()).isLessThanOrEqualTo(1000));
        Map<Long, List<Request>> sessions = bySession(context.submitted());
        // every session reaches max_turns, except the last ones, cut by num_requests
        assertThat(sessions.values()).allSatisfy(s -> {
            if (s.get(0).id() < 400) {
                assertThat(s).hasSize(10);
            }
        });
        assertThat(source.counters().get("clipped_turns")).isPositive();
        assertThat(source.counters()).containsEntry("sessions_ended_at_context", 0L);
    }

    @Test
    void firstTurnsAreClippedToTheContext() {
        ClientProfileConfig profile = profile("long", null, null, lognormal(1500, 1500), constant(500), null, 0,
                null, 1, 1);
        SyntheticConfig config = new SyntheticConfig(10.0, null, 5000L, List.of(profile), null, null);
        TestingServingContext context = TestingServingContext.serving(4, 4096, 0.1, 0.01);
        SyntheticSource source = new SyntheticSource(config, context);
        context.run(source);
        assertThat(context.submitted()).hasSize(5000).allSatisfy(r ->
                assertThat(r.promptTokens() + r.maxOutputTokens()).isLessThanOrEqualTo(4096));
        assertThat(source.counters().get("clipped_turns")).isBetween(50L, 1000L);
    }

    @Test
    void anAbsurdExpectedPromptIsRejectedWithAClearMessage() {
        // someone wrote mu/sigma-like numbers in tokens, or a mean beyond the context
        ClientProfileConfig profile = profile("p", null, null, lognormal(6000, 100), constant(10), null, 0, null, 1,
                1);
        SyntheticConfig config = new SyntheticConfig(1.0, 10.0, null, List.of(profile), null, null);
        assertThatThrownBy(() -> new SyntheticSource(config, TestingServingContext.serving(1, 4096, 0.1, 0.01)))
                .isInstanceOf(ServesimException.class)
                .hasMessage("workload.profiles[0].prompt_tokens: the expected prompt length is 6000 tokens, not below "
                        + "the serving engines' max_model_len of 4096; check the distribution's parameters (lognormal "
                        + "takes the distribution's own mean and stddev in tokens, not mu and sigma)");
        DistributionConfig pareto = new DistributionConfig("pareto", null, null, null, 0.8, 100.0, null, null, null,
                null, null, null, null, null);
        ClientProfileConfig heavy = profile("p", null, null, pareto, constant(10), null, 0, null, 1, 1);
        assertThatThrownBy(() -> new SyntheticSource(new SyntheticConfig(1.0, 10.0, null, List.of(heavy), null, null),
                TestingServingContext.openLoop(1)))
                .hasMessageStartingWith("workload.profiles[0].prompt_tokens: has no finite mean");
    }

    private static ClientProfileConfig limited(Integer maxTokens, DistributionConfig prompt) {
        return new ClientProfileConfig("chat", null, null, prompt, lognormal(200, 120), null, 0, 0.0, null, 1, 1.0,
                1.0, 0, maxTokens);
    }

    @Test
    void aProfileLimitCapsEveryTurnAndTheTurnsBelowItStop() {
        TestingServingContext reference = TestingServingContext.openLoop(4);
        reference.run(new SyntheticSource(new SyntheticConfig(20.0, null, 3_000L, List.of(limited(null,
                constant(100))), null, null), reference));
        List<Request> unlimited = reference.submitted();
        TestingServingContext context = TestingServingContext.openLoop(4);
        context.run(new SyntheticSource(new SyntheticConfig(20.0, null, 3_000L, List.of(limited(180,
                constant(100))), null, null), context));
        List<Request> requests = context.submitted();

        assertThat(requests).hasSameSizeAs(unlimited);
        assertThat(unlimited).allSatisfy(r -> assertThat(r.maxTokens()).isEqualTo(r.maxOutputTokens()));
        for (int i = 0; i < requests.size(); i++) {
            int drawnLength = unlimited.get(i).maxOutputTokens();
            assertThat(requests.get(i).maxOutputTokens()).isEqualTo(Math.min(drawnLength, 180));
            assertThat(requests.get(i).maxTokens()).isEqualTo(180);
            assertThat(requests.get(i).stopsBeforeLimit()).isEqualTo(drawnLength < 180);
        }
        assertThat(requests).anySatisfy(r -> assertThat(r.stopsBeforeLimit()).isTrue())
                .anySatisfy(r -> assertThat(r.stopsBeforeLimit()).isFalse());
    }

    @Test
    void aTurnWhoseOutputTheContextClipsEndsAtTheContextWithReasonLength() {
        TestingServingContext context = TestingServingContext.serving(3, 300, 0.1, 0.01);
        context.run(new SyntheticSource(new SyntheticConfig(5.0, null, 500L, List.of(limited(1000,
                constant(50))), null, null), context));
        List<Request> requests = context.submitted();
        assertThat(requests).allSatisfy(r -> assertThat(r.promptTokens() + r.maxOutputTokens())
                .isLessThanOrEqualTo(300));
        // a drawn output above 299 tokens is clipped to 299 (one input token left): it ends at the context limit
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.stopsBeforeLimit()).isEqualTo(r.maxTokens() == 1000);
            if (!r.stopsBeforeLimit()) {
                assertThat(r.maxOutputTokens()).isEqualTo(299);
                assertThat(r.maxTokens()).isEqualTo(299);
            }
        });
        assertThat(requests).anySatisfy(r -> assertThat(r.maxTokens()).isEqualTo(299))
                .anySatisfy(r -> assertThat(r.maxTokens()).isEqualTo(1000));
    }

    @Test
    void sharedPrefixPriorityProfileAndStreamingCount() {
        ClientProfileConfig profile = new ClientProfileConfig("vip", 1.0, null, constant(100), constant(10), null, 64,
                0.0, null, 1, 1.0, 0.3, -2, null);
        SyntheticConfig config = new SyntheticConfig(20.0, null, 10_000L, List.of(profile), null, null);
        TestingServingContext context = TestingServingContext.openLoop(8);
        SyntheticSource source = new SyntheticSource(config, context);
        context.run(source);
        List<Request> requests = context.submitted();
        long prefix = requests.get(0).prompt().segments().get(0).contentId();
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.promptTokens()).isEqualTo(164);
            assertThat(r.prompt().segments().get(0).contentId()).isEqualTo(prefix);
            assertThat(r.priority()).isEqualTo(-2);
            assertThat(r.profile()).isEqualTo("vip");
        });
        assertThat((double) source.counters().get("streaming_requests")).isCloseTo(3000, within(4 * 46.0));
        // 64 shared tokens are 4 full blocks of 16
        assertThat(BlockHashChain.of(requests.get(0).prompt(), 16).hash(3))
                .isEqualTo(BlockHashChain.of(requests.get(1).prompt(), 16).hash(3));
        assertThat(BlockHashChain.of(requests.get(0).prompt(), 16).hash(4))
                .isNotEqualTo(BlockHashChain.of(requests.get(1).prompt(), 16).hash(4));
    }

    @Test
    void sameSeedSameWorkloadOtherSeedAnother() {
        ClientProfileConfig profile = profile("chat", null, null, lognormal(400, 100), lognormal(100, 50),
                lognormal(50, 20), 0.5, DistributionConfig.exponential(3), 5, 0.8);
        SyntheticConfig config = new SyntheticConfig(2.0, 300.0, null, List.of(profile), null, null);
        List<Request> first = serve(config, 11, 8192).submitted();
        assertThat(first).isEqualTo(serve(config, 11, 8192).submitted());
        assertThat(first).isNotEqualTo(serve(config, 12, 8192).submitted());
        assertThat(first).allSatisfy(r -> assertThat(r.arrivalTime()).isLessThanOrEqualTo(300.0));
    }
}
