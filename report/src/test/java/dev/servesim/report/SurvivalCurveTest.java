package dev.servesim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SurvivalCurveTest {
    @Test
    void smallSampleKeepsEveryStepAndCountsTies() {
        SurvivalCurve curve = SurvivalCurve.of(new double[] {30, 10, 20, 20});

        assertThat(curve.times()).containsExactly(10, 10, 20, 30);
        assertThat(curve.probabilities()).containsExactly(1.0, 0.75, 0.25, 0.0);
        assertThat(curve.count()).isEqualTo(4);
    }

    @Test
    void emptySampleHasNoPoints() {
        assertThat(SurvivalCurve.of(new double[0]).size()).isZero();
    }

    @Test
    void inputIsNotSorted() {
        double[] values = {3, 1, 2};

        SurvivalCurve.of(values);

        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void largeSampleIsReducedButKeepsBodyAndTail() {
        SplittableRandom random = new SplittableRandom(3);
        double[] values = new double[1_000_000];
        Arrays.setAll(values, i -> -Math.log(1 - random.nextDouble()) * 50);

        SurvivalCurve curve = SurvivalCurve.of(values);

        double[] times = curve.times();
        double[] probabilities = curve.probabilities();
        assertThat(curve.size()).isBetween(400, SurvivalCurve.MAX_POINTS);
        assertThat(probabilities[0]).isEqualTo(1.0);
        assertThat(probabilities[curve.size() - 1]).isEqualTo(0.0);
        assertThat(times[curve.size() - 1]).isEqualTo(Arrays.stream(values).max().orElseThrow());
        for (int i = 1; i < curve.size(); i++) {
            assertThat(times[i]).isGreaterThanOrEqualTo(times[i - 1]);
            assertThat(probabilities[i]).isLessThan(probabilities[i - 1]);
        }
        // the tail keeps points in every decade of P down to 1e-5 (ten values of a million)
        for (double level = 1e-1; level >= 1e-4; level /= 10) {
            double upper = level;
            assertThat(Arrays.stream(probabilities).filter(p -> p <= upper && p > upper / 10).count())
                    .as("points with P in (%s, %s]", upper / 10, upper).isGreaterThanOrEqualTo(10);
        }
        // a point of the curve is exact: P(X > t) of the sample at that t
        int middle = curve.size() / 2;
        double t = times[middle];
        assertThat(probabilities[middle]).isEqualTo((double) Arrays.stream(values).filter(v -> v > t).count() / 1e6);
    }

    @Test
    void constantSampleDropsOnce() {
        double[] values = new double[10_000];
        Arrays.fill(values, 7);

        SurvivalCurve curve = SurvivalCurve.of(values);

        assertThat(curve.times()).containsExactly(7, 7);
        assertThat(curve.probabilities()).containsExactly(1.0, 0.0);
    }
}
