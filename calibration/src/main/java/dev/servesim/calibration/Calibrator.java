package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import dev.servesim.runner.PluginRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code servesim calibrate}: fits one global set of physics coefficients (every model and GPU) to a runs file, and
 * says how far it can be trusted. In order:
 * <ol>
 *   <li>each requested cross-validation split ({@link HoldoutSplit}): fit on the training runs of every fold,
 *       predict the held-out runs at full length, print and write the held-out figures;
 *   <li>the fit on all runs;
 *   <li>the bootstrap ({@link Bootstrap}): a confidence interval per coefficient; a coefficient the runs cannot
 *       identify is pinned to its physical default, saying so, and the others re-fitted;
 *   <li>the in-sample figures, and the shipping criteria ({@link ShippingCriteria}) over all of it;
 *   <li>the coefficients file, its header recording the command's settings, the intervals, the pins and the
 *       figures.
 * </ol>
 * Every fit is regularised toward the physical defaults and bounded so that no efficiency exceeds 1
 * ({@link CoefficientSpace}); there is no option to lift the bounds.
 */
public final class Calibrator {

    private static final String UNSEEN = "fewer than " + CoefficientSpace.MIN_MODELS + " models exercise them";

    private final FidelityEvaluator evaluator;
    private final PrintWriter out;

    public Calibrator(PluginRegistry registry, PrintWriter out) {
        this.evaluator = new FidelityEvaluator(requireNonNull(registry, "registry is null"));
        this.out = requireNonNull(out, "out is null");
    }

    /** What a calibration found. */
    public record Result(Map<StepTimeTerm, Double> coefficients, Map<HoldoutSplit, FidelityResult> heldOut,
            FidelityResult inSample, Map<StepTimeTerm, Bootstrap.Interval> intervals, Set<StepTimeTerm> pinned,
            List<ShippingCriteria.Check> checks) {}

    /** Cross-validates, fits, bootstraps, pins, and writes the coefficients file. */
    public Result run(CalibrationOptions options) {
        List<RunsFile.Row> rows = RunsFile.read(options.runsFile());
        List<RunsFile.Row> usable = rows.stream().filter(row -> row.spec() != null).toList();
        Fitter fitter = new Fitter(evaluator, out, options.priorWeight());
        SimulationSettings fitting = settings(options, options.durationScale());
        // held-out and in-sample figures at full length, with each run's sustainable rate for the saturation check
        SimulationSettings full = settings(options, 1.0).withSustainableRate(true);

        Map<HoldoutSplit, FidelityResult> heldOut = new LinkedHashMap<>();
        for (HoldoutSplit split : options.holdouts()) {
            FidelityResult result = crossValidate(split, rows, fitter, fitting, full, options);
            heldOut.put(split, result);
            write(result, options, "holdout-" + split.key());
        }

        CoefficientSpace space = CoefficientSpace.seenBy(specs(usable));
        out.printf("calibrate: fitting %d coefficients on all %d runs%n", space.dimension(), usable.size());
        if (!space.pinned().isEmpty()) {
            out.printf("  pinned to their physical defaults (%s): %s%n", UNSEEN,
                    String.join(", ", space.pinned().stream().map(StepTimeTerm::key).toList()));
        }
        Fitter.Fit fit = fitter.fit(space, usable, Fitter.ones(usable.size()), new double[space.dimension()], 0.5,
                options.maxEvaluations(), options.optimizerSeed(), fitting, true);
        out.printf(Locale.ROOT, "  best loss %.5f:%s%n", fit.loss(), describe(fit));

        Map<StepTimeTerm, Bootstrap.Interval> intervals = Map.of();
        Set<StepTimeTerm> pinned = Set.of();
        if (options.bootstrap() > 0) {
            intervals = bootstrap(fit, usable, fitter, fitting, options);
            pinned = Bootstrap.unidentified(intervals);
            if (!pinned.isEmpty()) {
                for (StepTimeTerm term : pinned) {
                    Bootstrap.Interval interval = intervals.get(term);
                    out.printf(Locale.ROOT, "calibrate: pinning %s to its physical default %.4g: its 90%% interval"
                            + " [%.4g, %.4g] spans %.1fx, more than %.0fx, so these runs cannot identify it%n",
                            term.key(), space.prior(term), interval.lower(), interval.upper(), interval.ratio(),
                            Bootstrap.IDENTIFIED_RATIO);
                }
                CoefficientSpace narrowed = space.pinning(pinned);
                out.printf("calibrate: re-fitting the %d other coefficients%n", narrowed.dimension());
                fit = fitter.fit(narrowed, usable, Fitter.ones(usable.size()), narrowed.point(fit.values()), 0.3,
                        Math.max(10, options.maxEvaluations() / 2), options.optimizerSeed() + 1, fitting, true);
                out.printf(Locale.ROOT, "  best loss %.5f:%s%n", fit.loss(), describe(fit));
            }
        }

        out.println("calibrate: in-sample errors (the shipped coefficients on every run, full length)");
        FidelityResult inSample = fitter.evaluate(fit.values(), rows, full, true);
        out.print(FidelityReport.apeTable(inSample));
        write(inSample, options, "in-sample");
        List<ShippingCriteria.Check> checks = ShippingCriteria.check(heldOut, inSample);
        out.print(ShippingCriteria.table(checks));

        List<String> comments = header(options, usable.size(), fit, space.pinned(), intervals, pinned, heldOut,
                inSample, checks);
        try {
            CoefficientSpace.write(fit.values(), options.output(), comments,
                    options.runsFile().getFileName() + " (" + usable.size() + " runs), see comments",
                    CoefficientSpace.calibratedRange(specs(usable)), CoefficientSpace.intervalKeys(intervals, pinned));
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + options.output() + ": " + e.getMessage(), e);
        }
        out.println("wrote " + options.output());
        out.flush();
        return new Result(fit.values(), heldOut, inSample, intervals, pinned, checks);
    }

    /** Fits each fold on its training runs and simulates its held-out runs at full length with those coefficients. */
    private FidelityResult crossValidate(HoldoutSplit split, List<RunsFile.Row> rows, Fitter fitter,
            SimulationSettings fitting, SimulationSettings full, CalibrationOptions options) {
        List<RunOutcome> outcomes = new ArrayList<>();
        for (HoldoutSplit.Fold fold : split.folds(rows)) {
            if (fold.training().isEmpty() || fold.heldOut().isEmpty()) {
                out.printf("calibrate: %s split, fold '%s': %d training and %d held-out runs; skipped%n", split.key(),
                        fold.name(), fold.training().size(), fold.heldOut().size());
                continue;
            }
            out.printf("calibrate: %s split, holding out %s (%d runs), fitting on %d runs%n", split.key(), fold.name(),
                    fold.heldOut().size(), fold.training().size());
            CoefficientSpace space = CoefficientSpace.seenBy(specs(fold.training()));
            if (!space.pinned().isEmpty()) {
                out.printf("  pinned to their physical defaults (%s): %s%n", UNSEEN,
                        String.join(", ", space.pinned().stream().map(StepTimeTerm::key).toList()));
            }
            Fitter.Fit fit = fitter.fit(space, fold.training(), Fitter.ones(fold.training().size()),
                    new double[space.dimension()], 0.5, options.maxEvaluations(), options.optimizerSeed(), fitting,
                    false);
            out.printf(Locale.ROOT, "  best loss %.5f:%s%n", fit.loss(), describe(fit));
            outcomes.addAll(fitter.evaluate(fit.values(), fold.heldOut(), full, true).outcomes());
        }
        rows.stream().filter(row -> row.spec() == null)
                .forEach(row -> outcomes.add(new RunOutcome.Skipped(row.runId(), row.problem())));
        FidelityResult result = new FidelityResult(full, outcomes, Aggregates.of(outcomes));
        out.printf("calibrate: held-out errors, %s split (each run predicted by coefficients fitted without it)%n",
                split.key());
        out.print(FidelityReport.apeTable(result));
        out.flush();
        return result;
    }

    private Map<StepTimeTerm, Bootstrap.Interval> bootstrap(Fitter.Fit fit, List<RunsFile.Row> rows, Fitter fitter,
            SimulationSettings fitting, CalibrationOptions options) {
        int evaluations = Math.max(10, options.maxEvaluations() / 4);
        out.printf("calibrate: bootstrap, %d resamples of the %d runs, %d evaluations each%n", options.bootstrap(),
                rows.size(), evaluations);
        List<Map<StepTimeTerm, Double>> samples = new ArrayList<>();
        for (int b = 0; b < options.bootstrap(); b++) {
            int[] weights = Bootstrap.resample(rows.size(), options.optimizerSeed(), b);
            List<Integer> drawnWeights = new ArrayList<>();
            List<RunsFile.Row> drawn = Bootstrap.drawn(rows, weights, drawnWeights);
            Fitter.Fit sample = fitter.fit(fit.space(), drawn, drawnWeights.stream().mapToInt(Integer::intValue)
                    .toArray(), fit.x(), 0.3, evaluations, options.optimizerSeed() + 1000 + b, fitting, false);
            samples.add(sample.values());
            out.printf(Locale.ROOT, "  resample %2d (%d distinct runs): loss %.5f%n", b + 1, drawn.size(),
                    sample.loss());
            out.flush();
        }
        Map<StepTimeTerm, Bootstrap.Interval> intervals = Bootstrap.intervals(fit, samples);
        out.println("calibrate: 90% bootstrap intervals");
        out.printf("  %-36s %11s %11s %11s %11s %6s%n", "coefficient", "fitted", "default", "p5", "p95", "ratio");
        intervals.forEach((term, interval) -> out.printf(Locale.ROOT, "  %-36s %11.4g %11.4g %11.4g %11.4g %6.2f%s%n",
                term.key(), interval.fitted(), fit.space().prior(term), interval.lower(), interval.upper(),
                interval.ratio(), interval.identified() ? "" : "  not identified"));
        out.flush();
        return intervals;
    }

    private static List<RunSpec> specs(List<RunsFile.Row> rows) {
        return rows.stream().map(RunsFile.Row::spec).toList();
    }

    private SimulationSettings settings(CalibrationOptions options, double durationScale) {
        return new SimulationSettings("physics", Optional.empty(), options.seeds(), durationScale, options.jobs(),
                options.promptPool());
    }

    private void write(FidelityResult result, CalibrationOptions options, String suffix) {
        String name = options.output().getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        Path parent = options.output().toAbsolutePath().getParent();
        List<Path> files = FidelityReport.write(result, options.runsFile(), parent.resolve(stem + "-" + suffix));
        out.println("wrote " + files.get(0) + " and " + files.get(1));
    }

    private static List<String> header(CalibrationOptions options, int runs, Fitter.Fit fit, Set<StepTimeTerm> unseen,
            Map<StepTimeTerm, Bootstrap.Interval> intervals, Set<StepTimeTerm> pinned,
            Map<HoldoutSplit, FidelityResult> heldOut, FidelityResult inSample, List<ShippingCriteria.Check> checks) {
        List<String> lines = new ArrayList<>();
        lines.add("Coefficients of the vllm plugin's physics step time (version 2: fixed costs and efficiencies),"
                + " fitted by servesim calibrate.");
        lines.add(String.format(Locale.ROOT, "Fitted on %s (%d runs), CMA-ES, %d evaluations, %d seed(s) per run,"
                + " duration scale %s, optimizer seed %d, prompt pool %s, prior weight %s, %d bootstrap resamples.",
                options.runsFile().getFileName(), runs, options.maxEvaluations(), options.seeds(),
                options.durationScale(), options.optimizerSeed(), options.promptPool(), options.priorWeight(),
                options.bootstrap()));
        lines.add(String.format(Locale.ROOT, "Loss: mean over runs and the 7 metrics of ln(1 + APE/100), plus the"
                + " pull toward the physical defaults; final loss %.5f. See docs/fidelity.md.", fit.loss()));
        if (!intervals.isEmpty()) {
            StringBuilder text = new StringBuilder("90% bootstrap intervals:");
            intervals.forEach((term, interval) -> text.append(" ").append(term.key()).append(" [")
                    .append(CoefficientSpace.intervalText(interval.lower())).append(", ")
                    .append(CoefficientSpace.intervalText(interval.upper())).append("]")
                    .append(pinned.contains(term) ? " pinned" : "").append(";"));
            lines.add(text.toString());
        }
        if (!unseen.isEmpty()) {
            lines.add("Pinned to their physical defaults (" + UNSEEN + "): "
                    + String.join(", ", unseen.stream().map(StepTimeTerm::key).toList()) + ".");
        }
        if (!pinned.isEmpty()) {
            lines.add("Pinned to their physical defaults (not identified by these runs): "
                    + String.join(", ", pinned.stream().map(StepTimeTerm::key).toList()) + ".");
        }
        heldOut.forEach((split, result) -> lines.add(String.format(Locale.ROOT, "Held out by %s: median per-run APE"
                + " %.1f%%, TTFT-mean %.1f%%, E2E-mean %.1f%%, ITL %.1f%%, worst E2E-mean %.1f%%.", split.key(),
                result.aggregates().medianPerRunApe(), result.aggregates().medianApeByMetric().get(3),
                result.aggregates().medianApeByMetric().get(0), result.aggregates().medianApeByMetric().get(6),
                result.aggregates().maxE2eMeanApe())));
        lines.add(String.format(Locale.ROOT, "In sample: median per-run APE %.1f%%, worst E2E-mean %.1f%%.",
                inSample.aggregates().medianPerRunApe(), inSample.aggregates().maxE2eMeanApe()));
        for (ShippingCriteria.Check check : checks) {
            lines.add("Criterion " + (check.met() ? "met" : "NOT met") + ": " + check.criterion() + " ("
                    + check.measured() + ").");
        }
        return lines;
    }

    private static String describe(Fitter.Fit fit) {
        StringBuilder text = new StringBuilder();
        Map<StepTimeTerm, Double> values = fit.values();
        for (StepTimeTerm term : fit.space().terms()) {
            text.append(String.format(Locale.ROOT, " %s=%.4g", term.key(), values.get(term)));
        }
        return text.toString();
    }
}
