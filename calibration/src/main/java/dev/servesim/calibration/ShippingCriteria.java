package dev.servesim.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a fitted coefficient set is good enough to ship as the engine's built-in one (docs/fidelity.md): on the
 * calibration runs, leave-one-model-out median per-run APE at most 7%, size extrapolation at most 10%, no run above
 * 30% E2E-mean APE, and no false saturation (a simulated TTFT mean over 3x the measured one where the real server
 * kept up), held out or in sample.
 */
public final class ShippingCriteria {

    static final double LEAVE_ONE_MODEL_OUT_LIMIT = 7.0;
    static final double SIZE_LIMIT = 10.0;
    static final double E2E_MEAN_LIMIT = 30.0;

    /** One criterion: what it asks, what was measured, and whether it holds ({@code false} when not measured). */
    public record Check(String criterion, String measured, boolean met) {}

    private ShippingCriteria() {}

    /** The four checks over the held-out results of each split and the in-sample result. */
    public static List<Check> check(Map<HoldoutSplit, FidelityResult> heldOut, FidelityResult inSample) {
        List<Check> checks = new ArrayList<>();
        checks.add(median(heldOut.get(HoldoutSplit.MODEL), "leave-one-model-out median per-run APE <= 7%",
                LEAVE_ONE_MODEL_OUT_LIMIT, "--holdout-by model"));
        checks.add(median(heldOut.get(HoldoutSplit.SIZE), "size extrapolation median per-run APE <= 10%",
                SIZE_LIMIT, "--holdout-by size"));
        double worst = inSample.aggregates().maxE2eMeanApe();
        String where = "in sample";
        for (Map.Entry<HoldoutSplit, FidelityResult> entry : heldOut.entrySet()) {
            double max = entry.getValue().aggregates().maxE2eMeanApe();
            if (max > worst) {
                worst = max;
                where = entry.getKey().key() + " split";
            }
        }
        checks.add(new Check("no run above 30% E2E-mean APE, held out or in sample",
                String.format(Locale.ROOT, "worst %.1f%% (%s)", worst, where), worst <= E2E_MEAN_LIMIT));
        List<String> saturated = new ArrayList<>();
        heldOut.forEach((split, result) -> falseSaturations(result)
                .forEach(run -> saturated.add(run + " (" + split.key() + " split)")));
        falseSaturations(inSample).forEach(run -> saturated.add(run + " (in sample)"));
        checks.add(new Check("no false saturation in any split", saturated.isEmpty() ? "none"
                : String.join(", ", saturated), saturated.isEmpty()));
        return checks;
    }

    /** Runs the simulator saturates although the real server kept up ({@link Saturation#FALSE_SATURATION}). */
    static List<String> falseSaturations(FidelityResult result) {
        List<String> runs = new ArrayList<>();
        for (RunOutcome outcome : result.outcomes()) {
            if (outcome instanceof RunOutcome.Evaluated run && run.saturation() == Saturation.FALSE_SATURATION) {
                runs.add(run.runId());
            }
        }
        return runs;
    }

    /** The checks as a table. */
    public static String table(List<Check> checks) {
        StringBuilder text = new StringBuilder("calibrate: shipping criteria\n");
        for (Check check : checks) {
            text.append(String.format(Locale.ROOT, "  %-4s %-62s %s%n", check.met() ? "met" : "NOT", check.criterion(),
                    check.measured()));
        }
        return text.toString();
    }

    private static Check median(FidelityResult result, String criterion, double limit, String option) {
        if (result == null) {
            return new Check(criterion, "not measured (run with " + option + ")", false);
        }
        double median = result.aggregates().medianPerRunApe();
        return new Check(criterion, String.format(Locale.ROOT, "%.1f%% over %d runs", median,
                result.aggregates().runsCovered()), median <= limit);
    }
}
