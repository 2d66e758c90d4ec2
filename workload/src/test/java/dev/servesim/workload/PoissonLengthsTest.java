package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ServesimException;
import dev.servesim.api.request.Request;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.testing.TestingWorkloadContext;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.PoissonConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Drawn prompt and output lengths of the {@code poisson} source, and its client limit {@code max_tokens}. */
class PoissonLengthsTest {

    private static final DistributionConfig OUTPUT = lognormal(200, 120);

    private static DistributionConfig lognormal(double mean, double stddev) {
        return new DistributionConfig("lognormal", null, mean, stddev, null, null, null, null, null, null, null, null,
                null, null);
    }

    private static List<Request> generate(PoissonConfig config, long seed) {
        return generate(config, seed, new ArrayList<>());
    }

    /** Runs the source; {@code streams} receives the name of every random stream it opened. */
    private static List<Request> generate(PoissonConfig config, long seed, List<String> streams) {
        TestingWorkloadContext context = new TestingWorkloadContext(seed);
        WorkloadContext recording = new WorkloadContext() {
            @Override
            public EventScheduler scheduler() {
                return context.scheduler();
            }

            @Override
            public RandomStreams random() {
                RandomStreams random = context.random();
                return new RandomStreams() {
                    @Override
                    public RandomGenerator stream(String name) {
                        streams.add(name);
                        return random.stream(name);
                    }

                    @Override
                    public RandomStreams child(String prefix) {
                        throw new AssertionError("poisson opens no child streams");
                    }
                };
            }

            @Override
            public void submit(Request request) {
                context.submit(request);
            }
        };
        new PoissonSource(config, recording).start();
        context.simulation().run(Double.MAX_VALUE);
        return context.submitted();
    }

    @Test
    void aLognormalOutputLengthVariesWithTheConfiguredMeanAndIsDeterministicPerSeed() {
        PoissonConfig config = new PoissonConfig(50.0, null, 20_000L, null, OUTPUT, null);
        List<Request> requests = generate(config, 5);

        double sum = 0;
        for (Request request : requests) {
            sum += request.maxOutputTokens();
        }
        // standard error of the mean: 120 / sqrt(20,000) = 0.85 tokens; 4 of them
        assertThat(sum / requests.size()).isCloseTo(200, within(3.4));
        assertThat(requests.stream().mapToInt(Request::maxOutputTokens).distinct().count()).isGreaterThan(300);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.promptTokens()).isEqualTo(512);
            assertThat(request.maxTokens()).isEqualTo(request.maxOutputTokens());
        });
        assertThat(generate(config, 5)).isEqualTo(requests);
        assertThat(generate(config, 6)).isNotEqualTo(requests);
    }

    @Test
    void constantLengthsOpenNoStreamAndDrawnLengthsLeaveTheArrivalsAlone() {
        List<String> streams = new ArrayList<>();
        List<Request> fixed = generate(new PoissonConfig(8.0, 60.0, null, DistributionConfig.constant(1024),
                DistributionConfig.constant(256), null), 42, streams);
        assertThat(streams).containsExactly("arrivals");

        streams.clear();
        List<Request> drawn = generate(new PoissonConfig(8.0, 60.0, null, lognormal(1024, 300), OUTPUT, null), 42,
                streams);
        assertThat(streams).containsExactly("arrivals", "prompt", "output");
        assertThat(drawn).extracting(Request::arrivalTime).isEqualTo(fixed.stream().map(Request::arrivalTime).toList());
        assertThat(drawn).anySatisfy(request -> assertThat(request.promptTokens()).isNotEqualTo(1024));
    }

    @Test
    void aPlainNumberAndAConstantMappingGiveIdenticalRequests() {
        // what the binder makes of "output_tokens: 128" and of "output_tokens: {type: constant, value: 128}"
        DistributionConfig plain = DistributionConfig.valueOf(128);
        DistributionConfig mapping = new DistributionConfig("constant", 128.0, null, null, null, null, null, null,
                null, null, null, null, null, null);
        List<Request> fromPlain = generate(new PoissonConfig(8.0, 60.0, null, DistributionConfig.valueOf(1024), plain,
                null), 42);
        List<Request> fromMapping = generate(new PoissonConfig(8.0, 60.0, null, DistributionConfig.valueOf(1024),
                mapping, null), 42);
        assertThat(fromMapping).isEqualTo(fromPlain);
        assertThat(fromPlain).allSatisfy(request -> {
            assertThat(request.maxOutputTokens()).isEqualTo(128);
            assertThat(request.maxTokens()).isEqualTo(128);
            assertThat(request.promptTokens()).isEqualTo(1024);
        });
    }

    @Test
    void withMaxTokensARequestGeneratesTheSmallerLengthAndStopsIffItsDrawnLengthIsBelowTheLimit() {
        List<Request> unlimited = generate(new PoissonConfig(20.0, null, 5_000L, null, OUTPUT, null), 9);
        List<Request> limited = generate(new PoissonConfig(20.0, null, 5_000L, null, OUTPUT, 250), 9);

        assertThat(limited).hasSameSizeAs(unlimited);
        int stopped = 0;
        for (int i = 0; i < limited.size(); i++) {
            int drawnLength = unlimited.get(i).maxOutputTokens();
            Request request = limited.get(i);
            assertThat(request.arrivalTime()).isEqualTo(unlimited.get(i).arrivalTime());
            assertThat(request.maxTokens()).isEqualTo(250);
            assertThat(request.maxOutputTokens()).isEqualTo(Math.min(drawnLength, 250));
            assertThat(request.stopsBeforeLimit()).isEqualTo(drawnLength < 250);
            stopped += request.stopsBeforeLimit() ? 1 : 0;
        }
        // a lognormal with mean 200 and stddev 120 rounds below 250 with probability 0.751 (sd over 5,000: 0.006)
        assertThat((double) stopped / limited.size()).isCloseTo(0.751, within(0.025));
    }

    @Test
    void theLimitInvariantHoldsForAnySeedAndLimit() {
        SplittableRandom cases = new SplittableRandom(2026);
        for (int trial = 0; trial < 40; trial++) {
            long seed = cases.nextLong();
            int limit = cases.nextInt(1, 600);
            List<Request> unlimited = generate(new PoissonConfig(10.0, null, 200L, null, OUTPUT, null), seed);
            List<Request> limited = generate(new PoissonConfig(10.0, null, 200L, null, OUTPUT, limit), seed);
            for (int i = 0; i < limited.size(); i++) {
                Request request = limited.get(i);
                int drawnLength = unlimited.get(i).maxOutputTokens();
                String what = "seed " + seed + ", limit " + limit + ", request " + i;
                assertThat(request.maxOutputTokens()).as(what).isLessThanOrEqualTo(limit)
                        .isEqualTo(Math.min(drawnLength, limit));
                assertThat(request.stopsBeforeLimit()).as(what).isEqualTo(drawnLength < limit);
            }
        }
    }

    @Test
    void aDistributionWithoutAFiniteMeanIsAConfigurationError() {
        DistributionConfig heavy = new DistributionConfig("pareto", null, null, null, 1.0, 10.0, null, null, null, null,
                null, null, null, null);
        assertThatThrownBy(() -> generate(new PoissonConfig(1.0, 10.0, null, null, heavy, null), 1))
                .isInstanceOf(ServesimException.class)
                .hasMessageStartingWith("workload.output_tokens: has no finite mean");
    }
}
