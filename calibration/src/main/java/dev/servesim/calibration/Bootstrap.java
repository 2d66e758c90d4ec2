package dev.servesim.calibration;

import dev.servesim.engine.common.steptime.StepTimeTerm;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Confidence intervals of the fitted coefficients by resampling runs: each resample draws as many runs as the fit
 * used, with replacement, and re-fits from the full fit's optimum (the coefficients of the resample's fit are one
 * draw of what the data supports). A coefficient whose 90% interval (5th to 95th percentile over the resamples)
 * spans more than {@link #IDENTIFIED_RATIO} is one the runs cannot identify.
 */
public final class Bootstrap {

    /** An interval wider than this factor (upper / lower) means the data cannot identify the coefficient. */
    static final double IDENTIFIED_RATIO = 2.0;

    /** One coefficient's interval. */
    public record Interval(double fitted, double lower, double upper) {

        double ratio() {
            return lower > 0 ? upper / lower : Double.POSITIVE_INFINITY;
        }

        boolean identified() {
            return ratio() <= IDENTIFIED_RATIO;
        }
    }

    private Bootstrap() {}

    /** Which rows (indexes into {@code rows}) resample {@code index} draws, as weights. */
    static int[] resample(int rows, long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        int[] weights = new int[rows];
        for (int i = 0; i < rows; i++) {
            weights[random.nextInt(rows)]++;
        }
        return weights;
    }

    /** The intervals of the free terms of {@code fitted}, given the resamples' fitted values. */
    static Map<StepTimeTerm, Interval> intervals(Fitter.Fit fitted, List<Map<StepTimeTerm, Double>> resamples) {
        Map<StepTimeTerm, Interval> intervals = new EnumMap<>(StepTimeTerm.class);
        Map<StepTimeTerm, Double> values = fitted.values();
        for (StepTimeTerm term : fitted.space().terms()) {
            double[] draws = resamples.stream().mapToDouble(sample -> sample.get(term)).toArray();
            intervals.put(term, new Interval(values.get(term), Stats.quantile(draws, 0.05),
                    Stats.quantile(draws, 0.95)));
        }
        return intervals;
    }

    /** The terms whose interval is wider than {@link #IDENTIFIED_RATIO}. */
    static Set<StepTimeTerm> unidentified(Map<StepTimeTerm, Interval> intervals) {
        Set<StepTimeTerm> terms = EnumSet.noneOf(StepTimeTerm.class);
        intervals.forEach((term, interval) -> {
            if (!interval.identified()) {
                terms.add(term);
            }
        });
        return terms;
    }

    /** The rows with a positive weight, and their weights. */
    static List<RunsFile.Row> drawn(List<RunsFile.Row> rows, int[] weights, List<Integer> drawnWeights) {
        List<RunsFile.Row> drawn = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (weights[i] > 0) {
                drawn.add(rows.get(i));
                drawnWeights.add(weights[i]);
            }
        }
        return drawn;
    }
}
