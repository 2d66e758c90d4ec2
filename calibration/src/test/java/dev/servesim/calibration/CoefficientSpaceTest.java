package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoefficientSpaceTest {

    @Test
    void withThePeakFloorNoCoefficientOfATimeAtPeakCanGoBelowOneAndNoCostBelowZero() {
        int dimension = CoefficientSpace.dimension();
        double[] lowest = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            lowest[i] = CoefficientSpace.lowerBound(i, true);
            assertThat(lowest[i]).isBetween(-CoefficientSpace.LIMIT, 0.0);
            assertThat(CoefficientSpace.lowerBound(i, false)).isEqualTo(-CoefficientSpace.LIMIT);
        }

        Map<String, Double> values = CoefficientSpace.coefficients(lowest);

        for (String key : List.of("linear_compute", "linear_memory", "prefill_attention_compute",
                "decode_attention_memory", "all_reduce")) {
            assertThat(values.get(key)).as(key).isCloseTo(1.0, within(1e-12));
        }
        // overheads in seconds may shrink to e^-3 of their start, never to zero
        assertThat(values.get("step_overhead_seconds")).isCloseTo(0.0005 * Math.exp(-3), within(1e-15)).isPositive();
        // weights are weights: the experts and the LM head follow the linear layers
        assertThat(values.get("moe_memory")).isEqualTo(values.get("linear_memory"));
        assertThat(values.get("lm_head_compute")).isEqualTo(values.get("linear_compute"));
    }
}
