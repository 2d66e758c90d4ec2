package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.steptime.StepTime;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.runner.BoundComponent;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code servesim calibrate --traces}: fits the {@code physics} coefficients of the {@code vllm} engine to per-request
 * traces recorded on the user's own deployment, each replayed as {@code fidelity --trace} replays it in the
 * configuration of that deployment. In order:
 * <ol>
 *   <li>every trace is read and the configuration loaded and checked, before anything runs;
 *   <li>each trace is replayed with the shipped coefficients (the "before" figures);
 *   <li>the hold-out: with two or more traces, each trace is predicted by coefficients fitted on the others (leave one
 *       trace out); with one, the second half of its requests (in arrival order) by coefficients fitted on the first
 *       half (the whole trace is replayed, only the loss is restricted);
 *   <li>the fit on every request of every trace, written as a coefficients file with a JSON report beside it.
 * </ol>
 * Every fit starts from the shipped coefficients ({@link StepTimeTerm#builtIn()}), is bounded as the runs mode's
 * ({@link CoefficientSpace}: costs within a factor e^3 and positive, efficiencies in [0.1, 1]) and regularised toward
 * them: the objective is the mean {@link TraceLoss} over the fitted traces plus {@link CoefficientSpace#penalty} with
 * weight {@code priorWeight / (3 x requests fitted)}, each request's three metrics counting as observations as each
 * run's seven do in the runs mode. The fixed per-step costs the traces' engines cannot tell apart are pinned to their
 * shipped values ({@link TraceTerms}).
 */
public final class TraceCalibrator {

    /** Appended to the coefficients file's name without its extension: the JSON report. */
    public static final String REPORT_SUFFIX = "-calibration.json";

    /** Requests of trace {@code trace} from {@code from} (inclusive) to {@code to} (exclusive), in arrival order. */
    record Part(int trace, int from, int to, String label) {}

    /** The figures of one part of a trace with the shipped coefficients ({@code before}) and the fitted ones. */
    public record PartFigures(String trace, String part, int requests, List<TraceScore> before,
            List<TraceScore> after) {}

    /** One fold of the hold-out: what it fitted on, what it found, and the held-out figures. */
    public record FoldResult(String name, List<String> fittedOn, double loss, Map<StepTimeTerm, Double> coefficients,
            List<PartFigures> heldOut) {}

    /**
     * What a calibration found.
     *
     * @param holdout {@code leave-one-trace-out}, {@code time-halves}, or {@code none} (one trace too short to split)
     */
    public record Result(Map<StepTimeTerm, Double> coefficients, Map<StepTimeTerm, String> pinned, double loss,
            String holdout, List<FoldResult> folds, List<PartFigures> inSample, Path report) {}

    /**
     * CMA-ES's initial step, in units of each term's prior spread ({@link CoefficientSpace#scales}): a cost moves by
     * about 25% and an efficiency by about 2% at first, corrections to a set that is already close; the step grows as
     * the search finds progress.
     */
    static final double SIGMA = 0.2;

    /** Fewest requests a lone trace needs for its halves to be fitted and scored. */
    static final int MIN_SPLIT_REQUESTS = 2 * TraceLoss.MIN_GROUP_REQUESTS;

    private final PluginRegistry registry;
    private final PrintWriter out;

    public TraceCalibrator(PluginRegistry registry, PrintWriter out) {
        this.registry = requireNonNull(registry, "registry is null");
        this.out = requireNonNull(out, "out is null");
    }

    /** The JSON report written beside {@code output}. */
    public static Path reportFile(Path output) {
        String name = output.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        return output.resolveSibling(stem + REPORT_SUFFIX);
    }

    /** Reads, checks, replays, holds out, fits and writes. */
    public Result run(TraceCalibrationOptions options) {
        if (Files.isDirectory(options.output())) {
            throw ServesimException.config("--out", options.output() + " is a folder; give the coefficients file");
        }
        List<TraceReplays.Trace> traces = read(options.traces());
        Map<StepTimeTerm, Double> shipped = StepTimeTerm.builtIn();
        Fitter fitter = new Fitter(new FidelityEvaluator(registry), out, options.priorWeight());
        try (TraceReplays replays = new TraceReplays(registry, options.config(), options.overrides(), traces, fitter,
                options.jobs())) {
            List<TraceTerms.Engine> engines = check(replays, options, shipped, fitter);
            // one configuration for every trace: the engines, and so the pinned terms, are the same in every fold
            Map<StepTimeTerm, String> pinned = TraceTerms.unidentified(engines);
            pinned.forEach((term, reason) -> out.printf("calibrate: %s stays at its shipped value: %s%n", term.key(),
                    reason));

            out.printf("calibrate: replaying %d trace(s) with the shipped coefficients%n", traces.size());
            out.flush();
            Map<Integer, TraceReplay.Simulated> before = replays.replay(shipped, indexes(traces.size()));
            before.forEach((index, simulated) -> checkReplay(traces.get(index), simulated));

            List<Part> all = new ArrayList<>();
            for (int i = 0; i < traces.size(); i++) {
                all.add(new Part(i, 0, traces.get(i).requests(), "all"));
            }
            String holdout = traces.size() >= 2 ? "leave-one-trace-out"
                    : traces.get(0).requests() >= MIN_SPLIT_REQUESTS ? "time-halves" : "none";
            List<FoldResult> folds = new ArrayList<>();
            for (Fold fold : folds(traces, holdout)) {
                folds.add(holdOut(fold, replays, CoefficientSpace.around(shipped, pinned.keySet()), before, options,
                        fitter));
            }
            if (holdout.equals("none")) {
                out.printf("calibrate: no held-out figure: one trace of %d requests (%d are needed to fit on its first"
                        + " half and score its second)%n", traces.get(0).requests(), MIN_SPLIT_REQUESTS);
            } else {
                out.print(TraceCalibrationReport.holdoutTitle(holdout));
                out.print(TraceCalibrationReport.table(folds.stream().flatMap(f -> f.heldOut().stream()).toList()));
            }

            CoefficientSpace space = CoefficientSpace.around(shipped, pinned.keySet());
            out.printf("calibrate: fitting %d coefficients on every request of the %d trace(s)%n", space.dimension(),
                    traces.size());
            Fitter.Fit fit = fit(space, all, replays, options, fitter, true);
            out.printf(Locale.ROOT, "  best loss %.5f%n", fit.loss());
            Map<Integer, TraceReplay.Simulated> after = replays.replay(fit.values(), indexes(traces.size()));
            List<PartFigures> inSample = new ArrayList<>();
            for (Part part : all) {
                inSample.add(figures(traces.get(part.trace()), part, before, after));
            }
            out.println("calibrate: in sample (every request), median per-request APE %, shipped -> fitted");
            out.print(TraceCalibrationReport.table(inSample));
            out.print(TraceCalibrationReport.coefficients(shipped, fit.values(), pinned));

            Result result = new Result(fit.values(), pinned, fit.loss(), holdout, List.copyOf(folds),
                    List.copyOf(inSample), reportFile(options.output()));
            TraceCalibrationReport.write(result, options, traces, shipped);
            out.println("wrote " + options.output() + " and " + result.report());
            out.flush();
            return result;
        }
    }

    /** A hold-out fold: fit on {@code training}, score {@code heldOut}. */
    private record Fold(String name, List<Part> training, List<Part> heldOut) {}

    private static List<Fold> folds(List<TraceReplays.Trace> traces, String holdout) {
        List<Fold> folds = new ArrayList<>();
        if (holdout.equals("leave-one-trace-out")) {
            for (int i = 0; i < traces.size(); i++) {
                List<Part> training = new ArrayList<>();
                for (int j = 0; j < traces.size(); j++) {
                    if (j != i) {
                        training.add(new Part(j, 0, traces.get(j).requests(), "all"));
                    }
                }
                folds.add(new Fold(traces.get(i).name(), training,
                        List.of(new Part(i, 0, traces.get(i).requests(), "all"))));
            }
        } else if (holdout.equals("time-halves")) {
            int n = traces.get(0).requests();
            folds.add(new Fold(traces.get(0).name() + ", second half",
                    List.of(new Part(0, 0, n / 2, "first half")), List.of(new Part(0, n / 2, n, "second half"))));
        }
        return folds;
    }

    private FoldResult holdOut(Fold fold, TraceReplays replays, CoefficientSpace space,
            Map<Integer, TraceReplay.Simulated> before, TraceCalibrationOptions options, Fitter fitter) {
        List<TraceReplays.Trace> traces = replays.traces();
        List<String> fittedOn = fold.training().stream().map(part -> describe(traces, part)).toList();
        out.printf("calibrate: holding out %s, fitting on %s%n", fold.heldOut().stream()
                .map(part -> describe(traces, part)).toList(), fittedOn);
        Fitter.Fit fit = fit(space, fold.training(), replays, options, fitter, false);
        out.printf(Locale.ROOT, "  best loss %.5f%n", fit.loss());
        Map<Integer, TraceReplay.Simulated> after = replays.replay(fit.values(),
                fold.heldOut().stream().map(Part::trace).distinct().toList());
        List<PartFigures> heldOut = fold.heldOut().stream()
                .map(part -> figures(traces.get(part.trace()), part, before, after)).toList();
        out.flush();
        return new FoldResult(fold.name(), fittedOn, fit.loss(), fit.values(), heldOut);
    }

    private static String describe(List<TraceReplays.Trace> traces, Part part) {
        String name = traces.get(part.trace()).name();
        return part.label().equals("all") ? name : name + " (" + part.label() + ")";
    }

    private Fitter.Fit fit(CoefficientSpace space, List<Part> training, TraceReplays replays,
            TraceCalibrationOptions options, Fitter fitter, boolean verbose) {
        List<Integer> replayed = training.stream().map(Part::trace).distinct().sorted().toList();
        long requests = training.stream().mapToLong(part -> part.to() - part.from()).sum();
        double weight = options.priorWeight() / Math.max(1, 3 * requests);
        return fitter.fit(space, x -> {
            Map<Integer, TraceReplay.Simulated> simulated = replays.replay(space.coefficients(x), replayed);
            double sum = 0;
            for (Part part : training) {
                TraceReplays.Trace trace = replays.traces().get(part.trace());
                sum += TraceLoss.loss(trace.measured(), trace.groups(), simulated.get(part.trace()), part.from(),
                        part.to());
            }
            return sum / training.size() + space.penalty(x, weight);
        }, new double[space.dimension()], space.scales(), SIGMA, options.maxEvaluations(), options.optimizerSeed(),
                verbose);
    }

    private static PartFigures figures(TraceReplays.Trace trace, Part part, Map<Integer, TraceReplay.Simulated> before,
            Map<Integer, TraceReplay.Simulated> after) {
        return new PartFigures(trace.name(), part.label(), part.to() - part.from(),
                TraceLoss.score(trace.measured(), before.get(part.trace()), part.from(), part.to()),
                TraceLoss.score(trace.measured(), after.get(part.trace()), part.from(), part.to()));
    }

    private static List<TraceReplays.Trace> read(List<Path> files) {
        List<String> names = files.stream().map(file -> file.getFileName().toString()).toList();
        List<TraceReplays.Trace> traces = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (!Files.isRegularFile(file)) {
                throw ServesimException.config("--traces", file + ": " + (Files.isDirectory(file) ? "is a folder"
                        : "no such file"));
            }
            List<MeasuredTrace.Measured> measured = MeasuredTrace.read(file);
            String name = names.indexOf(names.get(i)) == names.lastIndexOf(names.get(i)) ? names.get(i)
                    : file.toString();
            traces.add(new TraceReplays.Trace(file, name, measured, TraceLoss.groups(measured)));
        }
        return traces;
    }

    /**
     * Loads the configuration as given and as replayed, and checks that the fit can work on it: a {@code vllm}
     * engine whose every replica takes the candidate coefficients. Prints what the replay changes.
     */
    private List<TraceTerms.Engine> check(TraceReplays replays, TraceCalibrationOptions options,
            Map<StepTimeTerm, Double> shipped, Fitter fitter) {
        RunConfiguration given = TraceReplay.configuration(registry, replays.traces().get(0).file(),
                options.config(), options.overrides(), "[csv]");
        for (BoundComponent framework : given.replicaFrameworks()) {
            if (!(framework.config() instanceof VllmConfig vllm)) {
                throw ServesimException.config(options.config().toString(), "calibrate --traces fits the vllm"
                        + " engine's physics coefficients; this configuration's engine is '" + framework.name() + "'");
            }
            for (String key : List.of("mfu", "mbu", "step_overhead")) {
                Object value = key.equals("mfu") ? vllm.mfu() : key.equals("mbu") ? vllm.mbu() : vllm.stepOverhead();
                if (value != null) {
                    throw ServesimException.config(options.config().toString(), "framework." + key + " is a setting"
                            + " of step_time roofline, and calibrate --traces fits the physics step time: remove it");
                }
            }
            if (vllm.stepTime() == StepTime.ROOFLINE) {
                out.println("calibrate: note: the configuration says step_time roofline; the traces are replayed with"
                        + " physics, whose coefficients are fitted");
            }
            if (vllm.coefficients() != null) {
                out.println("calibrate: note: the configuration's coefficients file " + vllm.coefficients() + " is"
                        + " replaced by each candidate; the fit starts from the shipped set and is pulled toward it");
            }
        }
        List<TraceTerms.Engine> engines = new ArrayList<>();
        fitter.withCoefficientsFile(shipped, file -> {
            RunConfiguration replayed = replays.configuration(0, file);
            for (BoundComponent framework : replayed.replicaFrameworks()) {
                VllmConfig vllm = (VllmConfig) framework.config();
                if (vllm.coefficients() == null || !Path.of(vllm.coefficients()).equals(file.toAbsolutePath())) {
                    throw ServesimException.config(options.config().toString(), "a replica's engine sets its own"
                            + " coefficients (cluster groups or pools): calibrate --traces fits the coefficients of"
                            + " the framework section, which every replica must use");
                }
                engines.add(TraceTerms.Engine.of(vllm));
            }
            return null;
        });
        return List.copyOf(engines);
    }

    private void checkReplay(TraceReplays.Trace trace, TraceReplay.Simulated simulated) {
        int compared = 0;
        for (int k = 0; k < trace.requests(); k++) {
            if (!Double.isNaN(simulated.value(0, k))) {
                compared++;
            }
        }
        if (compared == 0) {
            throw ServesimException.config(trace.file().toString(), "the replay completed none of its "
                    + trace.requests() + " requests; see why with servesim fidelity --trace");
        }
        if (compared < trace.requests()) {
            out.printf("calibrate: note: %s: the replay completed %d of its %d requests; the others are left out%n",
                    trace.name(), compared, trace.requests());
        }
    }

    private static List<Integer> indexes(int count) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            indexes.add(i);
        }
        return indexes;
    }
}
