package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ServesimException;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.testing.TestingWorkloadContext;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.PoissonConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoissonSourceTest {

    private static PoissonConfig poisson(Double rate, Double duration, Long numRequests, Integer promptTokens,
            Integer outputTokens) {
        return new PoissonConfig(rate, duration, numRequests,
                promptTokens == null ? null : DistributionConfig.constant(promptTokens),
                outputTokens == null ? null : DistributionConfig.constant(outputTokens), null);
    }

    private static List<Request> generate(PoissonConfig config, long seed) {
        TestingWorkloadContext context = new TestingWorkloadContext(seed);
        new PoissonSource(config, context).start();
        context.simulation().run(Double.MAX_VALUE);
        return context.submitted();
    }

    @Test
    void meanRateMatchesTheConfiguredRate() {
        List<Request> requests = generate(poisson(20.0, 500.0, null, 64, 8), 3);

        // 10,000 expected; Poisson count has sd 100, so 4 sd is 4%
        assertThat((double) requests.size()).isCloseTo(10_000, within(400.0));
        assertThat(requests.get(requests.size() - 1).arrivalTime()).isLessThanOrEqualTo(500.0);
        for (int i = 1; i < requests.size(); i++) {
            assertThat(requests.get(i).arrivalTime()).isGreaterThanOrEqualTo(requests.get(i - 1).arrivalTime());
        }
    }

    @Test
    void gapsAreExponential() {
        List<Request> requests = generate(poisson(4.0, null, 20_000L, 64, 8), 11);
        double[] gaps = new double[requests.size() - 1];
        double sum = 0;
        for (int i = 1; i < requests.size(); i++) {
            gaps[i - 1] = requests.get(i).arrivalTime() - requests.get(i - 1).arrivalTime();
            sum += gaps[i - 1];
        }
        double mean = sum / gaps.length;
        double squares = 0;
        for (double gap : gaps) {
            squares += (gap - mean) * (gap - mean);
        }
        double sd = Math.sqrt(squares / (gaps.length - 1));
        assertThat(mean).isCloseTo(0.25, within(0.01));
        // exponential: standard deviation equals the mean
        assertThat(sd).isCloseTo(0.25, within(0.015));
    }

    @Test
    void requestsHaveTheConfiguredLengthsAndShareNoContent() {
        List<Request> requests = generate(poisson(5.0, null, 3L, 40, 7), 1);

        assertThat(requests).extracting(Request::id).containsExactly(0L, 1L, 2L);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.promptTokens()).isEqualTo(40);
            assertThat(request.maxOutputTokens()).isEqualTo(7);
            assertThat(request.turn()).isEqualTo(1);
        });
        assertThat(BlockHashChain.of(requests.get(0).prompt(), 16).hash(0))
                .isNotEqualTo(BlockHashChain.of(requests.get(1).prompt(), 16).hash(0));
    }

    @Test
    void sameSeedSameArrivalsOtherSeedOtherArrivals() {
        PoissonConfig config = poisson(5.0, 60.0, null, 10, 10);
        assertThat(generate(config, 7)).isEqualTo(generate(config, 7));
        assertThat(generate(config, 8)).isNotEqualTo(generate(config, 7));
    }

    @Test
    void configDefaultsAndChecks() {
        PoissonConfig config = poisson(1.0, 10.0, null, null, null);
        assertThat(config.promptTokens()).isEqualTo(DistributionConfig.constant(512));
        assertThat(config.outputTokens()).isEqualTo(DistributionConfig.constant(128));
        assertThat(config.maxTokens()).isNull();

        assertThatThrownBy(() -> poisson(null, 10.0, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("rate");
        assertThatThrownBy(() -> poisson(-2.0, 10.0, null, null, null))
                .hasMessage("rate: must be a positive number, got -2.0");
        assertThatThrownBy(() -> poisson(1.0, null, null, null, null))
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> poisson(1.0, 5.0, null, 0, null))
                .hasMessage("prompt_tokens: must be positive, got 0");
    }
}
