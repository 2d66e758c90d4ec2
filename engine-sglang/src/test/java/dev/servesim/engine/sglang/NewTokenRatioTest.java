package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * new_token_ratio worked out by hand from scheduler.py: init = 0.7 x conservativeness (at most 1), floor = init x
 * 0.14, and each decode step without retraction lowers it by (init - floor) / 600.
 */
class NewTokenRatioTest {

    private static final double EXACT = 1e-12;

    private static NewTokenRatio afterSteps(NewTokenRatio ratio, int steps) {
        for (int i = 0; i < steps; i++) {
            ratio.decay();
        }
        return ratio;
    }

    @Test
    void decaysLinearlyOver600StepsToItsFloor() {
        // init 0.7, floor 0.7 x 0.14 = 0.098, step (0.7 - 0.098) / 600 = 0.602 / 600
        assertThat(new NewTokenRatio(1.0).value()).isEqualTo(0.7);
        assertThat(new NewTokenRatio(1.0).minimum()).isCloseTo(0.098, within(EXACT));
        // 300 steps: 0.7 - 300 x 0.602 / 600 = 0.7 - 0.301 = 0.399
        assertThat(afterSteps(new NewTokenRatio(1.0), 300).value()).isCloseTo(0.399, within(EXACT));
        // 600 steps: 0.7 - 0.602 = 0.098, the floor
        assertThat(afterSteps(new NewTokenRatio(1.0), 600).value()).isCloseTo(0.098, within(EXACT));
        // 1000 steps: held at the floor
        assertThat(afterSteps(new NewTokenRatio(1.0), 1000).value()).isEqualTo(new NewTokenRatio(1.0).minimum());
    }

    @Test
    void conservativenessScalesTheStartAndTheStartIsAtMostOne() {
        // 0.5: init 0.35, floor 0.049; 2.0: init min(1.4, 1) = 1.0, floor 0.14
        assertThat(new NewTokenRatio(0.5).value()).isCloseTo(0.35, within(EXACT));
        assertThat(new NewTokenRatio(0.5).minimum()).isCloseTo(0.049, within(EXACT));
        assertThat(new NewTokenRatio(2.0).value()).isEqualTo(1.0);
        assertThat(new NewTokenRatio(2.0).minimum()).isCloseTo(0.14, within(EXACT));
    }

    @Test
    void aRetractionRaisesItAndDecayResumesFromThere() {
        NewTokenRatio ratio = afterSteps(new NewTokenRatio(1.0), 1000);
        // kept: outputs 40 and 5 of max 100 and 200, so (45 + 20 x 2) / 300 = 85 / 300
        Retraction.Result result = Retraction.retract(List.of(
                new Retraction.RunningRequest(1, 50, 40, 100, 0),
                new Retraction.RunningRequest(2, 100, 5, 200, 0),
                new Retraction.RunningRequest(3, 10, 2, 50, 0)), 100);
        ratio.retracted(result.newTokenRatio());
        assertThat(ratio.value()).isCloseTo(85.0 / 300, within(EXACT));

        // one step later: 85/300 - 0.602/600
        ratio.decay();
        assertThat(ratio.value()).isCloseTo(85.0 / 300 - 0.602 / 600, within(EXACT));
        // idle: back to 0.7
        ratio.reset();
        assertThat(ratio.value()).isEqualTo(0.7);
    }
}
