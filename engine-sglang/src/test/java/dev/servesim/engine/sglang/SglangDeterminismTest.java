package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A seeded random workload with shared prefixes: every request ends once, and the same seed gives the same run. */
class SglangDeterminismTest {

    private static List<Request> workload(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Request> requests = new ArrayList<>();
        double time = 0;
        for (int i = 1; i <= 60; i++) {
            time += random.nextDouble() * 0.05;
            // five system prompts of 200 tokens, then a question of its own
            PromptContent prompt = PromptContent.of(new Segment(random.nextInt(5), 200),
                    new Segment(1000 + i, 1 + random.nextInt(300)));
            requests.add(Request.single(i, time, prompt, 1 + random.nextInt(100)));
        }
        return requests;
    }

    private static final ThreadLocal<Map<String, Long>> COUNTERS = new ThreadLocal<>();

    private static List<Event> run(String policy, long seed) {
        // the normal loop for lpm, the overlap loop (the default) for the others
        SglangSetup resolved = SglangSetup.of(SglangEngineGoldenTest.config(10, policy, 9, 256, 11, 0.1, 17,
                policy.equals("lpm")));
        // a pool of 3000 tokens and a low ratio (0.07 at first), so that the tree evicts and decoding retracts
        SglangSetup small = new SglangSetup(resolved.config(), resolved.model(), resolved.coefficients(), 3000);
        TestingEngineContext context = new TestingEngineContext(seed, "disabled");
        SglangEngine engine = new SglangEngine(small, context);
        for (Request request : workload(seed)) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }
        context.simulation().run(Double.MAX_VALUE);
        assertThat(engine.scheduler().usedTokens()).isZero();
        assertThat(engine.scheduler().cache().protectedSize()).isZero();
        COUNTERS.set(engine.counters());
        return context.recorded().events();
    }

    @Test
    void everyRequestEndsOnceAndTheSameSeedGivesTheSameRun() {
        for (String policy : List.of("fcfs", "lpm", "dfs-weight", "lof", "random")) {
            List<Event> first = run(policy, 11);
            assertThat(first).filteredOn(event -> event.type() == Type.FINISHED || event.type() == Type.REJECTED)
                    .as(policy).extracting(Event::requestId).doesNotHaveDuplicates().hasSize(60);
            Map<String, Long> counters = COUNTERS.get();
            assertThat(run(policy, 11)).as(policy).isEqualTo(first);
            assertThat(COUNTERS.get()).as(policy).isEqualTo(counters);
            assertThat(counters.get("radix_hit_tokens")).as(policy + " radix hits").isPositive();
            assertThat(counters.get("radix_evicted_tokens")).as(policy + " evictions").isPositive();
            assertThat(counters.get("retractions")).as(policy + " retractions").isPositive();
        }
    }
}
