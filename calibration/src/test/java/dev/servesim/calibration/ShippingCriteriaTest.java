package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ShippingCriteriaTest {

    @Test
    void checksTheFourCriteriaOverEverySplitAndTheInSampleFigures() {
        // run "a" predicted within 5%; run "b" with a TTFT mean 4x the measured one
        FidelityResult good = result(run("a", 1.05, 1.05));
        FidelityResult saturated = result(run("a", 1.05, 1.05), run("b", 1.2, 4.0));
        Map<HoldoutSplit, FidelityResult> heldOut = new LinkedHashMap<>();
        heldOut.put(HoldoutSplit.MODEL, good);
        heldOut.put(HoldoutSplit.SIZE, saturated);

        List<ShippingCriteria.Check> checks = ShippingCriteria.check(heldOut, good);

        assertThat(checks).extracting(ShippingCriteria.Check::met).containsExactly(true, false, true, false);
        assertThat(checks.get(0).measured()).isEqualTo("5.0% over 1 runs");
        assertThat(checks.get(2).measured()).isEqualTo("worst 20.0% (size split)");
        assertThat(checks.get(3).measured()).isEqualTo("b (size split)");
        assertThat(ShippingCriteria.table(checks)).contains("NOT  no false saturation in any split");

        List<ShippingCriteria.Check> notMeasured = ShippingCriteria.check(Map.of(), good);
        assertThat(notMeasured.get(0).measured()).isEqualTo("not measured (run with --holdout-by model)");
        assertThat(notMeasured.get(0).met()).isFalse();
    }

    private static FidelityResult result(RunOutcome... outcomes) {
        List<RunOutcome> list = List.of(outcomes);
        return new FidelityResult(new SimulationSettings("roofline", Optional.empty(), 1, 1.0, 1,
                SimulationSettings.POOL_BUILD_DEFAULT), list, Aggregates.of(list));
    }

    /** A run measured at 100 ms E2E and 10 ms TTFT everywhere, predicted {@code e2e} and {@code ttft} times that. */
    private static RunOutcome.Evaluated run(String id, double e2e, double ttft) {
        Metrics actual = new Metrics(100, 100, 100, 10, 10, 10, 1);
        Metrics predicted = new Metrics(100 * e2e, 100 * e2e, 100 * e2e, 10 * ttft, 10 * ttft, 10 * ttft, e2e);
        RunSpec spec = new RunSpec(id, "model-" + id, "llama-2-7b", "H100", 1, "16-bit", 32, 512, 1024, 0.9, 16,
                OptionalLong.empty(), 0, false, List.of(new RunSpec.Stage(1, 10)), 1, 1, 10, 10, 10,
                OptionalDouble.empty(), OptionalDouble.empty(), actual);
        return new RunOutcome.Evaluated(spec, predicted, List.of(), OptionalLong.empty(), Optional.empty());
    }
}
