package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void quantilesInterpolateLinearlyAsNumpy() {
        double[] values = {4, 1, 3, 2};
        assertThat(Stats.median(values)).isEqualTo(2.5);
        assertThat(Stats.quantile(values, 0.25)).isCloseTo(1.75, within(1e-12));
        assertThat(Stats.quantile(values, 0.75)).isCloseTo(3.25, within(1e-12));
        assertThat(Stats.median(new double[0])).isNaN();
    }

    @Test
    void percentageErrors() {
        assertThat(Stats.ape(90, 100)).isCloseTo(10, within(1e-12));
        assertThat(Stats.ape(110, 100)).isCloseTo(10, within(1e-12));
        assertThat(Stats.pe(90, 100)).isCloseTo(-10, within(1e-12));
    }

    @Test
    void stagesParse() {
        assertThat(RunSpec.parseStages("2.5x600;6x600"))
                .containsExactly(new RunSpec.Stage(2.5, 600), new RunSpec.Stage(6, 600));
    }
}
