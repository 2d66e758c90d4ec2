package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.engine.sglang.Retraction.RunningRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retraction worked out by hand from retract_decode: sorted by (outputs, -input) descending and retracted from the
 * end until every remaining request has 20 tokens of room.
 */
class RetractionTest {

    //                                                   id  input output max  prefix   own = input + output - prefix
    private static final RunningRequest A = new RunningRequest(1, 100, 5, 200, 0);   // 105
    private static final RunningRequest B = new RunningRequest(2, 300, 5, 200, 100); // 205
    private static final RunningRequest C = new RunningRequest(3, 50, 40, 100, 0);   // 90
    private static final RunningRequest D = new RunningRequest(4, 10, 2, 50, 0);     // 12

    // sorted, kept first: C (40 outputs), A (5, input 100), B (5, input 300), D (2): retracted D, then B, then A

    @Test
    void retractsTheFewestOutputsFirstAndAmongEqualOutputsTheLongestInput() {
        // free 10: D goes (22 < 3 x 20 = 60), B goes (227 >= 2 x 20 = 40)
        Retraction.Result result = Retraction.retract(List.of(A, B, C, D), 10);

        assertThat(result.retracted()).containsExactly(D, B);
        assertThat(result.kept()).containsExactly(C, A);
        // (40 + 5 + 20 x 2) / (100 + 200) = 85 / 300
        assertThat(result.newTokenRatio()).isCloseTo(85.0 / 300, within(1e-12));
    }

    @Test
    void retractsOneEvenWhenTheFreeSlotsWouldDo() {
        // free 1000 >= 60 already, but the step lacked memory, so D goes all the same
        Retraction.Result result = Retraction.retract(List.of(D, C, B, A), 1000);

        assertThat(result.retracted()).containsExactly(D);
        assertThat(result.kept()).containsExactly(C, A, B);
        // (40 + 5 + 5 + 20 x 3) / (100 + 200 + 200) = 110 / 500
        assertThat(result.newTokenRatio()).isCloseTo(0.22, within(1e-12));
    }

    @Test
    void theLastRequestIsNeverRetractedAndTheRatioIsAtMostOne() {
        //                                      id input output max prefix      own
        RunningRequest e = new RunningRequest(5, 5, 1, 10, 0); // 6
        RunningRequest f = new RunningRequest(6, 5, 3, 10, 0); // 8
        RunningRequest g = new RunningRequest(7, 5, 9, 10, 0); // 14
        // sorted G, F, E; free 0: E goes (6 < 2 x 20), F goes (14 < 1 x 20), then G is alone and stays
        Retraction.Result starved = Retraction.retract(List.of(e, f, g), 0);
        assertThat(starved.retracted()).containsExactly(e, f);
        assertThat(starved.kept()).containsExactly(g);
        // (9 + 20) / 10 = 2.9, capped at 1
        assertThat(starved.newTokenRatio()).isEqualTo(1.0);

        // a batch of one retracts nothing: (10 + 20) / 100 = 0.3
        Retraction.Result alone = Retraction.retract(List.of(new RunningRequest(9, 10, 10, 100, 0)), 0);
        assertThat(alone.retracted()).isEmpty();
        assertThat(alone.newTokenRatio()).isCloseTo(0.3, within(1e-12));
    }
}
