package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
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
 * One fit of the free coefficients of a {@link CoefficientSpace} with Hipparchus's CMA-ES (bounded, active CMA),
 * keeping the best point seen. To runs, the objective is robust and regularised: the weighted mean over runs and
 * their seven metrics of ln(1 + APE/100), plus {@link CoefficientSpace#penalty} with weight
 * {@code priorWeight / observations}, so the prior counts as much whatever the number of runs. {@code calibrate
 * --traces} gives its own objective ({@link TraceCalibrator}).
 */
final class Fitter {

    /** What a fit found. */
    record Fit(CoefficientSpace space, double[] x, double loss) {
        Fit {
            requireNonNull(space, "space is null");
            x = x.clone();
        }

        Map<StepTimeTerm, Double> values() {
            return space.coefficients(x);
        }
    }

    private final FidelityEvaluator evaluator;
    private final PrintWriter out;
    private final double priorWeight;

    Fitter(FidelityEvaluator evaluator, PrintWriter out, double priorWeight) {
        this.evaluator = requireNonNull(evaluator, "evaluator is null");
        this.out = requireNonNull(out, "out is null");
        this.priorWeight = priorWeight;
    }

    /**
     * Fits {@code space} on {@code rows}, {@code weights[i]} copies of row i (a bootstrap resample), from
     * {@code start} with step size {@code sigma}.
     *
     * @param verbose print every evaluation's loss
     */
    Fit fit(CoefficientSpace space, List<RunsFile.Row> rows, int[] weights, double[] start, double sigma,
            int maxEvaluations, long seed, SimulationSettings settings, boolean verbose) {
        double[] scales = new double[space.dimension()];
        Arrays.fill(scales, 1.0);
        return fit(space, x -> objective(space, x, rows, weights, settings), start, scales, sigma, maxEvaluations,
                seed, verbose);
    }

    /**
     * Minimises {@code objective} (the whole loss, regularisation included) over the free terms of {@code space},
     * within its bounds, from {@code start}; keeps the best point seen. CMA-ES searches y with x = scales * y, from a
     * step size {@code sigma} in every y: scales on the order of each term's plausible range make the search
     * isotropic, as CMA-ES starts best (given per-coordinate sigmas instead, its second generation spread the
     * efficiencies as widely as the costs).
     *
     * @param verbose print every evaluation's loss
     */
    Fit fit(CoefficientSpace space, ToDoubleFunction<double[]> objective, double[] start, double[] scales,
            double sigma, int maxEvaluations, long seed, boolean verbose) {
        int dimension = space.dimension();
        double[] lower = new double[dimension];
        double[] upper = new double[dimension];
        double[] initial = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            lower[i] = space.lowerBound(i) / scales[i];
            upper[i] = space.upperBound(i) / scales[i];
            initial[i] = Math.max(lower[i], Math.min(upper[i], start[i] / scales[i]));
        }
        if (dimension == 0) {
            return new Fit(space, initial, objective.applyAsDouble(initial));
        }
        double[] steps = new double[dimension];
        Arrays.fill(steps, sigma);
        double[][] best = {scaled(initial, scales)};
        double[] bestLoss = {Double.POSITIVE_INFINITY};
        int[] evaluations = {0};
        ObjectiveFunction function = new ObjectiveFunction(y -> {
            double[] x = scaled(y, scales);
            double loss = objective.applyAsDouble(x);
            evaluations[0]++;
            if (loss < bestLoss[0]) {
                bestLoss[0] = loss;
                best[0] = x;
            }
            if (verbose) {
                out.printf(Locale.ROOT, "  evaluation %3d  loss %.5f  best %.5f%n", evaluations[0], loss, bestLoss[0]);
                out.flush();
            }
            return loss;
        });
        CMAESOptimizer optimizer = new CMAESOptimizer(Integer.MAX_VALUE, 0, true, 0, 0, new Well19937c(seed), false,
                null);
        try {
            optimizer.optimize(new MaxEval(maxEvaluations), new MaxIter(Integer.MAX_VALUE), function,
                    GoalType.MINIMIZE, new InitialGuess(initial), new SimpleBounds(lower, upper),
                    new CMAESOptimizer.Sigma(steps),
                    new CMAESOptimizer.PopulationSize(4 + (int) (3 * Math.log(Math.max(2, dimension)))));
        } catch (MathIllegalStateException budgetExhausted) {
            // the evaluation budget ran out: keep the best point seen
        }
        return new Fit(space, best[0], bestLoss[0]);
    }

    private static double[] scaled(double[] y, double[] scales) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = y[i] * scales[i];
        }
        return x;
    }

    /** The regularised loss at {@code x}. */
    double objective(CoefficientSpace space, double[] x, List<RunsFile.Row> rows, int[] weights,
            SimulationSettings settings) {
        FidelityResult result = evaluate(space.coefficients(x), rows, settings, false);
        int observations = 0;
        for (int weight : weights) {
            observations += weight * Metrics.NAMES.size();
        }
        return loss(result, rows, weights) + space.penalty(x, priorWeight / Math.max(1, observations));
    }

    /** Simulates {@code rows} with the coefficients {@code values} (written to a scratch file the engine reads). */
    FidelityResult evaluate(Map<StepTimeTerm, Double> values, List<RunsFile.Row> rows, SimulationSettings settings,
            boolean withExtras) {
        return withCoefficientsFile(values, file -> evaluator.evaluate(rows, settings.withCoefficients(file),
                withExtras));
    }

    /** {@code use} applied to a scratch coefficients file holding {@code values}, deleted afterwards. */
    <T> T withCoefficientsFile(Map<StepTimeTerm, Double> values, Function<Path, T> use) {
        Path file = null;
        try {
            file = Files.createTempFile("servesim-coefficients-", ".properties");
            CoefficientSpace.write(values, file, List.of(), "none (a point the optimizer evaluates)");
            return use.apply(file);
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

    /**
     * Weighted mean over evaluated runs and metrics of ln(1 + APE/100); infinite when no run could be simulated. The
     * outcomes are in the order of {@code rows}.
     */
    static double loss(FidelityResult result, List<RunsFile.Row> rows, int[] weights) {
        double sum = 0;
        double count = 0;
        List<RunOutcome> outcomes = result.outcomes();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof RunOutcome.Evaluated run) {
                int weight = weights[i];
                for (double ape : run.ape()) {
                    sum += weight * Math.log1p(ape / 100.0);
                    count += weight;
                }
            }
        }
        return count == 0 ? Double.POSITIVE_INFINITY : sum / count;
    }

    /** Weights of one copy of every row. */
    static int[] ones(int rows) {
        int[] weights = new int[rows];
        Arrays.fill(weights, 1);
        return weights;
    }
}
