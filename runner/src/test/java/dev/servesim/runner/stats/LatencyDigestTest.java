package dev.servesim.runner.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.metrics.LatencyStats;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyDigestTest {

    @Test
    void smallSamplesGiveNumpyLinearPercentiles() {
        LatencyDigest digest = new LatencyDigest(100);
        for (double seconds : new double[] {0.4, 0.1, 0.3, 0.2}) {
            digest.add(seconds);
        }
        digest.add(Double.NaN);

        LatencyStats stats = digest.millis();

        // numpy.percentile([100, 200, 300, 400], q): 50 -> 250, 90 -> 370, 99 -> 397
        assertThat(stats.count()).isEqualTo(4);
        assertThat(stats.mean()).isCloseTo(250, within(1e-9));
        assertThat(stats.p50()).isCloseTo(250, within(1e-9));
        assertThat(stats.p90()).isCloseTo(370, within(1e-9));
        assertThat(stats.p95()).isCloseTo(385, within(1e-9));
        assertThat(stats.p99()).isCloseTo(397, within(1e-9));
        assertThat(stats.max()).isCloseTo(400, within(1e-9));
        assertThat(digest.exact()).isTrue();
        assertThat(new LatencyDigest(10).millis()).isEqualTo(LatencyStats.EMPTY);
    }

    @Test
    void pastTheExactLimitPercentilesStayWithinTheHistogramPrecision() {
        LatencyDigest exact = new LatencyDigest(1_000_000);
        LatencyDigest bounded = new LatencyDigest(1_000);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            double seconds = -Math.log(1 - random.nextDouble()) * 0.05;
            exact.add(seconds);
            bounded.add(seconds);
        }

        assertThat(bounded.exact()).isFalse();
        LatencyStats reference = exact.millis();
        LatencyStats approximate = bounded.millis();
        assertThat(approximate.count()).isEqualTo(reference.count());
        assertThat(approximate.mean()).isEqualTo(reference.mean());
        assertThat(approximate.max()).isEqualTo(reference.max());
        for (double[] pair : new double[][] {{reference.p50(), approximate.p50()}, {reference.p90(), approximate.p90()},
                {reference.p99(), approximate.p99()}}) {
            assertThat(pair[1]).isCloseTo(pair[0], within(pair[0] * 0.002));
        }
    }

    @Test
    void quantileSamplesDescribeTheDistributionInBoundedSize() {
        LatencyDigest digest = new LatencyDigest(1_000_000);
        for (int i = 1; i <= 10_000; i++) {
            digest.add(i / 1000.0);
        }
        double[] points = digest.quantilesMillis(101);
        assertThat(points).hasSize(101);
        assertThat(points[0]).isCloseTo(1, within(1e-9));
        assertThat(points[50]).isCloseTo(5000.5, within(1e-6));
        assertThat(points[100]).isCloseTo(10_000, within(1e-9));
        assertThat(new LatencyDigest(10).quantilesMillis(5)).isEmpty();
    }
}
