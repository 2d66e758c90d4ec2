package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.engine.common.steptime.StepTimeTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void aResampleDrawsAsManyRunsAsThereAreWithReplacementAndTheSameSeedDrawsTheSame() {
        int[] weights = Bootstrap.resample(13, 7, 3);

        assertThat(java.util.Arrays.stream(weights).sum()).isEqualTo(13);
        assertThat(Bootstrap.resample(13, 7, 3)).containsExactly(weights);
        assertThat(Bootstrap.resample(13, 7, 4)).isNotEqualTo(weights);
        List<Integer> drawnWeights = new ArrayList<>();
        List<RunsFile.Row> rows = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            rows.add(new RunsFile.Row("r" + i, null, "none"));
        }
        List<RunsFile.Row> drawn = Bootstrap.drawn(rows, weights, drawnWeights);
        assertThat(drawnWeights.stream().mapToInt(Integer::intValue).sum()).isEqualTo(13);
        assertThat(drawn).hasSameSizeAs(drawnWeights).doesNotHaveDuplicates();
    }

    @Test
    void aCoefficientWhoseNinetyPercentIntervalSpansMoreThanTwiceIsNotIdentified() {
        CoefficientSpace space = CoefficientSpace.all();
        Fitter.Fit fit = new Fitter.Fit(space, new double[space.dimension()], 0.1);
        List<Map<StepTimeTerm, Double>> samples = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            Map<StepTimeTerm, Double> values = new java.util.EnumMap<>(fit.values());
            // the layer cost moves by at most 10%, the MoE layer cost by a factor 4 over the resamples
            values.put(StepTimeTerm.LAYER_OVERHEAD_SECONDS, 2e-5 * (1 + 0.005 * i));
            values.put(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS, 1e-5 * (1 + 0.15 * i));
            samples.add(values);
        }

        Map<StepTimeTerm, Bootstrap.Interval> intervals = Bootstrap.intervals(fit, samples);

        Bootstrap.Interval layer = intervals.get(StepTimeTerm.LAYER_OVERHEAD_SECONDS);
        assertThat(layer.lower()).isCloseTo(2e-5 * 1.005, within(1e-18));
        assertThat(layer.upper()).isCloseTo(2e-5 * 1.095, within(1e-18));
        assertThat(layer.identified()).isTrue();
        assertThat(intervals.get(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS).identified()).isFalse();
        // constant draws: an interval of width zero, identified
        assertThat(intervals.get(StepTimeTerm.GEMM_EFFICIENCY).ratio()).isEqualTo(1.0);
        assertThat(Bootstrap.unidentified(intervals)).containsExactly(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS);
    }
}
