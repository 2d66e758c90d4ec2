package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.PluginRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.hipparchus.random.Well19937c;

/**
 * Fits the global physics coefficients (one set for every model and GPU) with Hipparchus's CMA-ES, bounded in log
 * space ({@link CoefficientSpace}). The loss is robust: the mean over runs and their seven metrics of
 * ln(1 + APE/100), so a run that is far off weighs less than under squared errors.
 */
public final class Calibrator {

    private final FidelityEvaluator evaluator;
    private final PrintWriter out;

    public Calibrator(PluginRegistry registry, PrintWriter out) {
        this.evaluator = new FidelityEvaluator(requireNonNull(registry, "registry is null"));
        this.out = requireNonNull(out, "out is null");
    }

    /** Fits on every row, optionally cross-validates by model first, and writes the coefficients file. */
    public Optional<FidelityResult> run(CalibrationOptions options) {
        List<RunsFile.Row> rows = RunsFile.read(options.runsFile());
        Optional<FidelityResult> heldOut = Optional.empty();
        if (options.holdoutByModel()) {
            heldOut = Optional.of(crossValidate(rows, options));
        }
        out.printf("calibrate: fitting %d coefficients on all %d runs%n", CoefficientSpace.dimension(), rows.size());
        double[] best = fit(rows, options);
        List<String> comments = new ArrayList<>(List.of(
                "Coefficients of the vllm plugin's physics step-time model, fitted by servesim calibrate.",
                String.format(Locale.ROOT, "Fitted on %s (%d rows), CMA-ES, %d evaluations, %d seed(s) per run,"
                        + " duration scale %s, optimizer seed %d, prompt pool %s%s.", options.runsFile().getFileName(),
                        rows.size(), options.maxEvaluations(), options.seeds(), options.durationScale(),
                        options.optimizerSeed(), options.promptPool(), options.peakFloor() ? ", peak floor" : ""),
                "Loss: mean over runs and the 7 metrics of ln(1 + APE/100). See docs/fidelity.md."));
        heldOut.ifPresent(result -> comments.add(String.format(Locale.ROOT,
                "Leave-one-model-out: median per-run APE %.1f%%, median TTFT-mean APE %.1f%%, max E2E-mean APE %.1f%%.",
                result.aggregates().medianPerRunApe(), result.aggregates().medianApeByMetric().get(3),
                result.aggregates().maxE2eMeanApe())));
        try {
            CoefficientSpace.write(best, options.output(), comments,
                    options.runsFile() + " (" + rows.size() + " runs), see comments");
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + options.output() + ": " + e.getMessage(), e);
        }
        out.println("wrote " + options.output());
        out.flush();
        return heldOut;
    }

    /** Leave one model out: fit on the other models' runs, simulate the held-out runs at full length. */
    private FidelityResult crossValidate(List<RunsFile.Row> rows, CalibrationOptions options) {
        List<String> models = rows.stream().filter(row -> row.spec() != null).map(row -> row.spec().model())
                .distinct().toList();
        List<RunOutcome> outcomes = new ArrayList<>();
        SimulationSettings full = new SimulationSettings("physics", Optional.empty(), options.seeds(), 1.0,
                options.jobs(), options.promptPool());
        for (String model : models) {
            List<RunsFile.Row> training = rows.stream().filter(row -> row.spec() != null
                    && !row.spec().model().equals(model)).toList();
            List<RunsFile.Row> held = rows.stream().filter(row -> row.spec() != null
                    && row.spec().model().equals(model)).toList();
            out.printf("calibrate: holding out %s (%d runs), fitting on %d runs%n", model, held.size(),
                    training.size());
            double[] x = fit(training, options);
            outcomes.addAll(evaluateAt(x, held, full, true).outcomes());
        }
        rows.stream().filter(row -> row.spec() == null)
                .forEach(row -> outcomes.add(new RunOutcome.Skipped(row.runId(), row.problem())));
        FidelityResult result = new FidelityResult(full, outcomes, Aggregates.of(outcomes));
        out.println("calibrate: held-out errors (each run predicted by coefficients fitted without its model)");
        out.print(FidelityReport.apeTable(result));
        out.flush();
        return result;
    }

    private double[] fit(List<RunsFile.Row> rows, CalibrationOptions options) {
        SimulationSettings settings = new SimulationSettings("physics", Optional.empty(), options.seeds(),
                options.durationScale(), options.jobs(), options.promptPool());
        int dimension = CoefficientSpace.dimension();
        double[] lower = new double[dimension];
        double[] upper = new double[dimension];
        double[] sigma = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            lower[i] = CoefficientSpace.lowerBound(i, options.peakFloor());
        }
        Arrays.fill(upper, CoefficientSpace.LIMIT);
        Arrays.fill(sigma, 0.5);
        double[][] best = {new double[dimension]};
        double[] bestLoss = {Double.POSITIVE_INFINITY};
        int[] evaluations = {0};
        ObjectiveFunction objective = new ObjectiveFunction(x -> {
            double loss = loss(evaluateAt(x, rows, settings, false));
            evaluations[0]++;
            if (loss < bestLoss[0]) {
                bestLoss[0] = loss;
                best[0] = x.clone();
            }
            out.printf(Locale.ROOT, "  evaluation %3d  loss %.5f  best %.5f%n", evaluations[0], loss, bestLoss[0]);
            out.flush();
            return loss;
        });
        CMAESOptimizer optimizer = new CMAESOptimizer(Integer.MAX_VALUE, 0, true, 0, 0,
                new Well19937c(options.optimizerSeed()), false, null);
        try {
            optimizer.optimize(new MaxEval(options.maxEvaluations()), new MaxIter(Integer.MAX_VALUE), objective,
                    GoalType.MINIMIZE, new InitialGuess(new double[dimension]), new SimpleBounds(lower, upper),
                    new CMAESOptimizer.Sigma(sigma), new CMAESOptimizer.PopulationSize(4 + (int) (3 * Math.log(dimension))));
        } catch (MathIllegalStateException budgetExhausted) {
            // the evaluation budget ran out: keep the best point seen
        }
        out.printf(Locale.ROOT, "  best loss %.5f after %d evaluations:%s%n", bestLoss[0], evaluations[0],
                describe(best[0]));
        return best[0];
    }

    private FidelityResult evaluateAt(double[] x, List<RunsFile.Row> rows, SimulationSettings settings,
            boolean withKvCapacity) {
        Path file = null;
        try {
            file = Files.createTempFile("servesim-coefficients-", ".properties");
            CoefficientSpace.write(x, file, List.of(), "none (a point the optimizer evaluates)");
            return evaluator.evaluate(rows, settings.withCoefficients(file), withKvCapacity);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write a coefficients file: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    out.println("calibrate: cannot delete " + file + ": " + e.getMessage());
                }
            }
        }
    }

    /** Mean over evaluated runs and metrics of ln(1 + APE/100); infinite when no run could be simulated. */
    static double loss(FidelityResult result) {
        double sum = 0;
        int count = 0;
        for (RunOutcome outcome : result.outcomes()) {
            if (outcome instanceof RunOutcome.Evaluated run) {
                for (double ape : run.ape()) {
                    sum += Math.log1p(ape / 100.0);
                    count++;
                }
            }
        }
        return count == 0 ? Double.POSITIVE_INFINITY : sum / count;
    }

    private static String describe(double[] x) {
        StringBuilder text = new StringBuilder();
        CoefficientSpace.coefficients(x).forEach((key, value) -> {
            if (CoefficientSpace.FITTED.containsKey(key)) {
                text.append(String.format(Locale.ROOT, " %s=%.4g", key, value));
            }
        });
        return text.toString();
    }
}
