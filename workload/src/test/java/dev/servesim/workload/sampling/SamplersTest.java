package dev.servesim.workload.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ServesimException;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.workload.config.DistributionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statistical tests of every family: the mean and variance of 400,000 seeded draws against closed-form values
 * written out here (not taken from the samplers). The mean must be within 5 standard errors; the variance within a
 * relative tolerance of several standard errors of the sample variance for the family's kurtosis.
 */
class SamplersTest {

    private static final int DRAWS = 400_000;

    private static DistributionConfig config(String type, Double value, Double mean, Double stddev, Double shape,
            Double scale, Double min, Double max) {
        return new DistributionConfig(type, value, mean, stddev, shape, scale, min, max, null, null, null, null, null,
                null);
    }

    private static RandomGenerator random(String name) {
        return new SeededRandomStreams(20240601).stream(name);
    }

    /** Draws, then checks the sample's mean and variance and the sampler's own moments. */
    private static void checkMoments(String name, Sampler sampler, double mean, double variance,
            double varianceTolerance) {
        RandomGenerator random = random(name);
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < DRAWS; i++) {
            double x = sampler.sample(random);
            sum += x;
            sumSquares += x * x;
        }
        double sampleMean = sum / DRAWS;
        double sampleVariance = (sumSquares - DRAWS * sampleMean * sampleMean) / (DRAWS - 1);
        double standardError = Math.sqrt(variance / DRAWS);
        assertThat(sampleMean).as(name + " mean").isCloseTo(mean, within(5 * standardError + 1e-12));
        if (variance == 0) {
            assertThat(sampleVariance).as(name + " variance").isCloseTo(0, within(1e-9));
        } else {
            assertThat(sampleVariance / variance).as(name + " variance ratio").isCloseTo(1, within(varianceTolerance));
        }
        assertThat(sampler.mean()).as(name + " sampler mean").isCloseTo(mean, within(1e-9 * Math.max(1, mean)));
        assertThat(sampler.variance()).as(name + " sampler variance")
                .isCloseTo(variance, within(1e-9 * Math.max(1, variance)));
    }

    @Test
    void constant() {
        checkMoments("constant", Samplers.compile(config("constant", 7.0, null, null, null, null, null, null), "x"),
                7, 0, 0);
    }

    @Test
    void exponential() {
        checkMoments("exponential", Samplers.compile(config("exponential", null, 2.5, null, null, null, null, null),
                "x"), 2.5, 6.25, 0.03);
    }

    @Test
    void gamma() {
        // shape above 1: Marsaglia-Tsang directly; mean k theta, variance k theta^2
        checkMoments("gamma", Samplers.compile(config("gamma", null, null, null, 2.5, 4.0, null, null), "x"),
                10, 40, 0.03);
        // shape below 1: the boosted path
        checkMoments("gamma-small", Samplers.compile(config("gamma", null, null, null, 0.5, 2.0, null, null), "x"),
                1, 2, 0.04);
    }

    @Test
    void weibull() {
        // shape 2: mean = scale Gamma(3/2) = scale sqrt(pi)/2; variance = scale^2 (1 - pi/4)
        checkMoments("weibull", Samplers.compile(config("weibull", null, null, null, 2.0, 10.0, null, null), "x"),
                10 * Math.sqrt(Math.PI) / 2, 100 * (1 - Math.PI / 4), 0.03);
        // shape 1 is the exponential with mean = scale
        checkMoments("weibull-1", Samplers.compile(config("weibull", null, null, null, 1.0, 3.0, null, null), "x"),
                3, 9, 0.03);
    }

    @Test
    void lognormalTakesTheDistributionsOwnMeanAndStandardDeviation() {
        checkMoments("lognormal", Samplers.compile(config("lognormal", null, 500.0, 200.0, null, null, null, null),
                "x"), 500, 40_000, 0.03);
    }

    @Test
    void pareto() {
        // shape a, minimum m: mean a m / (a - 1), variance m^2 a / ((a - 1)^2 (a - 2)); heavy tail, wider tolerance
        checkMoments("pareto", Samplers.compile(config("pareto", null, null, null, 6.0, 100.0, null, null), "x"),
                120, 100.0 * 100 * 6 / (25 * 4), 0.06);
        assertThat(Samplers.compile(config("pareto", null, null, null, 1.0, 100.0, null, null), "x").mean())
                .isInfinite();
    }

    @Test
    void uniform() {
        checkMoments("uniform", Samplers.compile(config("uniform", null, null, null, null, null, 10.0, 20.0), "x"),
                15, 100.0 / 12, 0.02);
    }

    @Test
    void normal() {
        checkMoments("normal", Samplers.compile(config("normal", null, 3.0, 2.0, null, null, null, null), "x"),
                3, 4, 0.02);
    }

    @Test
    void mixture() {
        DistributionConfig mixture = new DistributionConfig("mixture", null, null, null, null, null, null, null, null,
                null, null, null, List.of(
                        new DistributionConfig("constant", 100.0, null, null, null, null, null, null, null, null, null,
                                null, null, 0.7),
                        new DistributionConfig("exponential", null, 10.0, null, null, null, null, null, null, null,
                                null, null, null, 0.3)), null);
        // mean 0.7 * 100 + 0.3 * 10 = 73; E[X^2] = 0.7 * 100^2 + 0.3 * 2 * 10^2 = 7060
        checkMoments("mixture", Samplers.compile(mixture, "x"), 73, 7060 - 73.0 * 73, 0.03);
    }

    @Test
    void empiricalValuesWithWeights() {
        DistributionConfig empirical = new DistributionConfig("empirical", null, null, null, null, null, null, null,
                List.of(1.0, 2.0, 3.0), List.of(1.0, 0.0, 2.0), null, null, null, null);
        Sampler sampler = Samplers.compile(empirical, "x");
        // P(1) = 1/3, P(3) = 2/3, the zero-weight value never
        checkMoments("empirical", sampler, 7.0 / 3, 8.0 / 9, 0.02);
        RandomGenerator random = random("empirical-values");
        for (int i = 0; i < 100_000; i++) {
            assertThat(sampler.sample(random)).isIn(1.0, 3.0);
        }
    }

    @Test
    void empiricalFromCsvColumn(@TempDir Path folder) throws Exception {
        Path csv = folder.resolve("lengths.csv");
        Files.writeString(csv, "id,prompt,note\n1,100,\"a, b\"\n2,300,x\n\n3,200,y\n");
        DistributionConfig empirical = new DistributionConfig("empirical", null, null, null, null, null, null, null,
                null, null, csv.toString(), "prompt", null, null);
        checkMoments("empirical-csv", Samplers.compile(empirical, "x"), 200, 20_000.0 / 3, 0.02);

        DistributionConfig missing = new DistributionConfig("empirical", null, null, null, null, null, null, null,
                null, null, csv.toString(), "output", null, null);
        assertThatThrownBy(() -> Samplers.compile(missing, "workload.profiles[0].prompt_tokens"))
                .isInstanceOf(ServesimException.class)
                .hasMessageContaining("workload.profiles[0].prompt_tokens.column: no column 'output' in ")
                .hasMessageEndingWith("; columns: id, prompt, note");
        Files.writeString(csv, "prompt\n100\nlots\n");
        assertThatThrownBy(() -> Samplers.compile(empirical, "p"))
                .hasMessageEndingWith(":3: column 'prompt': expected a number, got 'lots'");
        DistributionConfig absent = new DistributionConfig("empirical", null, null, null, null, null, null, null,
                null, null, folder.resolve("none.csv").toString(), "prompt", null, null);
        assertThatThrownBy(() -> Samplers.compile(absent, "p")).hasMessageStartingWith("p.csv: file not found: ");
    }

    @Test
    void tokensAreRoundedAndFlooredAtOneAndTimesAtZero() {
        assertThat(Sampler.toTokens(0.2)).isEqualTo(1);
        assertThat(Sampler.toTokens(-40)).isEqualTo(1);
        assertThat(Sampler.toTokens(Double.NaN)).isEqualTo(1);
        assertThat(Sampler.toTokens(1.49)).isEqualTo(1);
        assertThat(Sampler.toTokens(1.5)).isEqualTo(2);
        assertThat(Sampler.toTokens(511.5)).isEqualTo(512);
        assertThat(Sampler.toTokens(1e12)).isEqualTo(Integer.MAX_VALUE);
        Sampler normal = Samplers.compile(config("normal", null, 0.0, 1.0, null, null, null, null), "x");
        RandomGenerator random = random("floors");
        int zeros = 0;
        for (int i = 0; i < 10_000; i++) {
            double seconds = normal.seconds(random);
            assertThat(seconds).isGreaterThanOrEqualTo(0);
            zeros += seconds == 0 ? 1 : 0;
            assertThat(normal.tokens(random)).isGreaterThanOrEqualTo(1);
        }
        // half of a standard normal is negative
        assertThat(zeros).isBetween(4_800, 5_200);
    }

    @Test
    void tokenDrawsKeepTheMean() {
        Sampler lognormal = Samplers.compile(config("lognormal", null, 500.0, 200.0, null, null, null, null), "x");
        RandomGenerator random = random("tokens");
        long sum = 0;
        for (int i = 0; i < DRAWS; i++) {
            sum += lognormal.tokens(random);
        }
        assertThat((double) sum / DRAWS).isCloseTo(500, within(5 * 200 / Math.sqrt(DRAWS)));
    }

    @Test
    void rescaledShapeHasTheWantedMean() {
        Sampler gamma = Samplers.compile(config("gamma", null, null, null, 0.5, 1.0, null, null), "x");
        // a gamma of shape 0.5 rescaled to mean 3 has scale 6 and variance 0.5 * 36
        checkMoments("scaled", Samplers.withMean(gamma, 3), 3, 18, 0.04);
    }

    @Test
    void sameStreamSameDraws() {
        Sampler sampler = Samplers.compile(config("gamma", null, null, null, 0.7, 2.0, null, null), "x");
        RandomGenerator first = random("same");
        RandomGenerator second = random("same");
        for (int i = 0; i < 1000; i++) {
            assertThat(sampler.sample(first)).isEqualTo(sampler.sample(second));
        }
    }
}
