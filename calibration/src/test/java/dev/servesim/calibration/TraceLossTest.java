package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loss of calibrate --traces and the figures it reports, on measured and simulated requests made up here. */
class TraceLossTest {

    /** Requests of TTFT 50 ms, mean gap 10 ms and E2E 240 ms, arriving {@code gapMs} apart. */
    private static List<MeasuredTrace.Measured> measured(int count, double gapMs) {
        List<MeasuredTrace.Measured> requests = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            requests.add(new MeasuredTrace.Measured(k + 1, gapMs * k, 50, 10, 240, 20));
        }
        return requests;
    }

    /** Each measured figure times {@code factor}; request {@code odd} (if any) times 100 instead. */
    private static TraceReplay.Simulated scaled(List<MeasuredTrace.Measured> measured, double factor, int odd) {
        double[][] values = new double[3][measured.size()];
        for (int k = 0; k < measured.size(); k++) {
            double scale = k == odd ? 100 : factor;
            for (int metric = 0; metric < 3; metric++) {
                values[metric][k] = TraceReplay.measured(measured.get(k), metric) * scale;
            }
        }
        return new TraceReplay.Simulated(values, measured.size(), measured.size());
    }

    @Test
    void concurrencyGroupsCountTheRequestsInFlightAtEachArrival() {
        // 240 ms each: 1 s apart nothing overlaps; 50 ms apart the fifth finds 5 in flight (itself included)
        assertThat(TraceLoss.groups(measured(4, 1000))).containsExactly(0, 0, 0, 0);
        assertThat(TraceLoss.groups(measured(8, 50))).containsExactly(0, 1, 2, 2, 3, 3, 3, 3);
    }

    @Test
    void aPerfectReplayCostsNothingAndOneTwiceAsSlowCostsLnTwo() {
        List<MeasuredTrace.Measured> requests = measured(20, 50);
        int[] groups = TraceLoss.groups(requests);

        assertThat(TraceLoss.loss(requests, groups, scaled(requests, 1, -1), 0, 20)).isZero();
        assertThat(TraceLoss.loss(requests, groups, scaled(requests, 2, -1), 0, 20)).isCloseTo(Math.log(2),
                within(1e-12));
        assertThat(TraceLoss.loss(requests, groups, scaled(requests, 0.5, -1), 0, 20)).isCloseTo(Math.log(2),
                within(1e-12));
    }

    @Test
    void oneStrayRequestMovesTheMediansLittle() {
        List<MeasuredTrace.Measured> requests = measured(21, 1000);
        int[] groups = TraceLoss.groups(requests);

        assertThat(TraceLoss.loss(requests, groups, scaled(requests, 1, 7), 0, 21)).isZero();
    }

    @Test
    void onlyTheRequestsOfTheRangeAndThoseTheReplayCompletedCount() {
        List<MeasuredTrace.Measured> requests = measured(10, 1000);
        int[] groups = TraceLoss.groups(requests);
        TraceReplay.Simulated simulated = scaled(requests, 2, -1);
        for (int k = 0; k < 5; k++) {
            simulated.values()[0][k] = 50;
            simulated.values()[1][k] = 10;
            simulated.values()[2][k] = 240;
        }
        Arrays.fill(simulated.values()[0], 5, 6, Double.NaN);

        assertThat(TraceLoss.loss(requests, groups, simulated, 0, 5)).isZero();
        assertThat(TraceLoss.loss(requests, groups, simulated, 5, 10)).isCloseTo(Math.log(2), within(1e-12));
        List<TraceScore> scores = TraceLoss.score(requests, simulated, 5, 10);
        assertThat(scores).extracting(TraceScore::metric).containsExactly("ttft_ms", "itl_ms", "e2e_ms");
        assertThat(scores.get(0).compared()).isEqualTo(4);
        assertThat(scores.get(1).compared()).isEqualTo(5);
        assertThat(scores.get(0).apeOfMedians()).isCloseTo(100, within(1e-9));
        assertThat(scores.get(0).medianRequestApe()).isCloseTo(100, within(1e-9));
        assertThat(scores.get(2).simulatedMedianMs()).isEqualTo(480);
    }

    @Test
    void nothingComparedIsAnInfiniteLoss() {
        List<MeasuredTrace.Measured> requests = measured(3, 1000);
        double[][] values = new double[3][3];
        for (double[] metric : values) {
            Arrays.fill(metric, Double.NaN);
        }

        assertThat(TraceLoss.loss(requests, TraceLoss.groups(requests), new TraceReplay.Simulated(values, 3, 0), 0,
                3)).isInfinite();
    }
}
