package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SaturationTest {

    private static final List<RunSpec.Stage> STAGES = List.of(new RunSpec.Stage(2.5, 600), new RunSpec.Stage(6, 600));

    @Test
    void aSimulatedTtftMeanOverThreeTimesTheMeasuredOneIsAFalseSaturationWhenTheRealRunCompletedEverything() {
        // measured TTFT mean 100 ms
        Metrics slow = predicted(301);

        assertThat(Saturation.of(spec(OptionalLong.empty()), slow)).isEqualTo(Saturation.FALSE_SATURATION);
        assertThat(Saturation.of(spec(OptionalLong.of(0)), slow)).isEqualTo(Saturation.FALSE_SATURATION);
        // a real run that failed requests may have saturated itself: its TTFT covers the successful requests only
        assertThat(Saturation.of(spec(OptionalLong.of(12)), slow)).isEqualTo(Saturation.NONE);
    }

    @Test
    void aMeasuredTtftMeanOverThreeTimesTheSimulatedOneIsAMissedSaturation() {
        assertThat(Saturation.of(spec(OptionalLong.empty()), predicted(33))).isEqualTo(Saturation.MISSED_SATURATION);
        assertThat(Saturation.of(spec(OptionalLong.of(12)), predicted(33))).isEqualTo(Saturation.MISSED_SATURATION);
    }

    @Test
    void withinAFactorOfThreeInEitherDirectionThereIsNoFlag() {
        for (double ttft : new double[] {34, 100, 299, 300}) {
            assertThat(Saturation.of(spec(OptionalLong.empty()), predicted(ttft))).as("%s ms", ttft)
                    .isEqualTo(Saturation.NONE);
        }
        assertThat(Saturation.NONE.key()).isEqualTo("none");
        assertThat(Saturation.FALSE_SATURATION.key()).isEqualTo("false_saturation");
        assertThat(Saturation.MISSED_SATURATION.key()).isEqualTo("missed_saturation");
    }

    @Test
    void stagesAboveTheSustainableRateAreFlaggedAndTheAggregatesCountEveryFlag() {
        RunOutcome.Evaluated falselySaturated = TestingRuns.evaluated(spec(OptionalLong.empty()), predicted(400), 5);
        RunOutcome.Evaluated missed = TestingRuns.evaluated(spec(OptionalLong.empty()), predicted(20), 10);
        RunOutcome.Evaluated unmeasured = TestingRuns.evaluated(spec(OptionalLong.empty()), predicted(100), 0);

        assertThat(falselySaturated.saturation()).isEqualTo(Saturation.FALSE_SATURATION);
        assertThat(falselySaturated.stagesAboveSustainableRate()).contains(List.of(false, true));
        assertThat(missed.stagesAboveSustainableRate()).contains(List.of(false, false));
        assertThat(unmeasured.stagesAboveSustainableRate()).isEmpty();
        assertThat(unmeasured.sustainableRateNote()).contains(RunOutcome.NOT_MEASURED);

        Aggregates aggregates = Aggregates.of(List.of(falselySaturated, missed, unmeasured,
                new RunOutcome.Skipped("x", "unknown GPU")));
        assertThat(aggregates.falseSaturations()).isEqualTo(1);
        assertThat(aggregates.missedSaturations()).isEqualTo(1);
        assertThat(aggregates.runsAboveSustainableRate()).isEqualTo(1);
        assertThat(aggregates.saturationAgrees()).isFalse();
        assertThat(Aggregates.of(List.of(unmeasured)).saturationAgrees()).isTrue();
    }

    private static RunSpec spec(OptionalLong failedRequests) {
        return TestingRuns.spec("r", STAGES, TestingRuns.ACTUAL, failedRequests);
    }

    /** Simulated figures equal to the measured ones but for the TTFT mean. */
    private static Metrics predicted(double ttftMeanMs) {
        Metrics actual = TestingRuns.ACTUAL;
        return new Metrics(actual.e2eMeanMs(), actual.e2eP90Ms(), actual.e2eP99Ms(), ttftMeanMs, actual.ttftP90Ms(),
                actual.ttftP99Ms(), actual.itlMeanMs());
    }
}
