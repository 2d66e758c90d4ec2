package dev.servesim.calibration;

import java.util.List;

/**
 * Figures over the evaluated runs, as the calibration README scores them.
 *
 * @param runsTotal rows in the runs file
 * @param runsCovered rows simulated (the others were skipped)
 * @param medianApeByMetric per metric, the median over runs of the absolute percentage error
 * @param medianPeByMetric per metric, the median over runs of the signed percentage error
 * @param medianPerRunApe per run the median of its 7 APEs, then the median over runs
 * @param perRunApeP25 25th percentile over runs of the per-run median APE
 * @param perRunApeP75 75th percentile (with p25, the IQR)
 * @param maxE2eMeanApe the largest E2E-mean APE of any run
 * @param falseSaturations runs flagged {@link Saturation#FALSE_SATURATION}
 * @param missedSaturations runs flagged {@link Saturation#MISSED_SATURATION}
 * @param runsAboveSustainableRate runs with at least one stage above the simulated sustainable rate
 */
public record Aggregates(int runsTotal, int runsCovered, List<Double> medianApeByMetric,
        List<Double> medianPeByMetric, double medianPerRunApe, double perRunApeP25, double perRunApeP75,
        double maxE2eMeanApe, int falseSaturations, int missedSaturations, int runsAboveSustainableRate) {

    public Aggregates {
        medianApeByMetric = List.copyOf(medianApeByMetric);
        medianPeByMetric = List.copyOf(medianPeByMetric);
    }

    public static Aggregates of(List<RunOutcome> outcomes) {
        List<RunOutcome.Evaluated> evaluated = outcomes.stream().filter(RunOutcome.Evaluated.class::isInstance)
                .map(RunOutcome.Evaluated.class::cast).toList();
        int metrics = Metrics.NAMES.size();
        Double[] ape = new Double[metrics];
        Double[] pe = new Double[metrics];
        for (int m = 0; m < metrics; m++) {
            int index = m;
            ape[m] = Stats.median(evaluated.stream().mapToDouble(run -> run.ape()[index]).toArray());
            pe[m] = Stats.median(evaluated.stream().mapToDouble(run -> run.pe()[index]).toArray());
        }
        double[] perRun = evaluated.stream().mapToDouble(RunOutcome.Evaluated::medianApe).toArray();
        double maxE2e = evaluated.stream().mapToDouble(run -> run.ape()[0]).max().orElse(Double.NaN);
        return new Aggregates(outcomes.size(), evaluated.size(), List.of(ape), List.of(pe), Stats.median(perRun),
                Stats.quantile(perRun, 0.25), Stats.quantile(perRun, 0.75), maxE2e,
                count(evaluated, Saturation.FALSE_SATURATION), count(evaluated, Saturation.MISSED_SATURATION),
                (int) evaluated.stream().filter(run -> run.stagesAboveSustainableRate()
                        .map(stages -> stages.contains(true)).orElse(false)).count());
    }

    /** True if no evaluated run is flagged, in either direction ({@link Saturation}). */
    public boolean saturationAgrees() {
        return falseSaturations == 0 && missedSaturations == 0;
    }

    private static int count(List<RunOutcome.Evaluated> evaluated, Saturation flag) {
        return (int) evaluated.stream().filter(run -> run.saturation() == flag).count();
    }
}
