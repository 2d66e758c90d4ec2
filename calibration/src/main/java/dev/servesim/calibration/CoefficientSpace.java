package dev.servesim.calibration;

import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The physics coefficients the calibration fits, as a point x of R^n over the free terms: term = prior * exp(x), the
 * prior being the term's physical default on the reference GPU ({@link StepTimeTerm#physicalDefault}), or a given
 * set such as the shipped one ({@link #around}). The bounds
 * make the physics hold by construction, with no way to turn them off: a cost stays within a factor e^3 (about 20)
 * of its prior and positive, an efficiency in [0.1, 1] - no kernel beats its hardware peak, so no step beats the
 * floor. The fit is regularised toward the priors: {@link #penalty} adds, per term,
 * {@code weight * (ln(term / prior) / ln(spread))^2}, the spread being how well the prior is known (a factor 3 for
 * the costs, 1.1 for the efficiencies, which public kernel measurements pin down to about 10%). Terms the data
 * cannot identify can be pinned to their prior.
 */
public final class CoefficientSpace {

    /** Bound of x for the costs: at most a factor e^3 (about 20) from the prior. */
    public static final double LIMIT = 3.0;
    /** Lowest efficiency the fit may reach. */
    static final double MIN_EFFICIENCY = 0.1;
    /** Prior spread factor of the costs in seconds. */
    static final double COST_SPREAD = 3.0;
    /** Prior spread factor of the efficiencies. */
    static final double EFFICIENCY_SPREAD = 1.1;
    /** The GPU whose achievable efficiencies the fitted ones are (the calibration runs' GPU). */
    public static final String REFERENCE_HARDWARE = "H100-SXM-80GB";
    /** Terms the calibration never fits (the data has no handle on them); they stay at their prior. */
    static final Set<StepTimeTerm> NEVER_FITTED = EnumSet.of(StepTimeTerm.ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN);

    private final Map<StepTimeTerm, Double> priors;
    private final List<StepTimeTerm> free;
    private final Set<StepTimeTerm> pinned;

    private CoefficientSpace(Map<StepTimeTerm, Double> priors, Set<StepTimeTerm> pinned) {
        this.priors = new EnumMap<>(priors);
        this.pinned = pinned.isEmpty() ? EnumSet.noneOf(StepTimeTerm.class) : EnumSet.copyOf(pinned);
        List<StepTimeTerm> terms = new ArrayList<>();
        for (StepTimeTerm term : StepTimeTerm.values()) {
            Double prior = priors.get(term);
            if (prior == null || !Double.isFinite(prior) || prior < 0 || (term.isEfficiency() && prior > 1)) {
                throw new IllegalArgumentException("prior of " + term.key() + " must be a coefficient's value, got "
                        + prior);
            }
            if (!NEVER_FITTED.contains(term) && !pinned.contains(term)) {
                if (!(prior > 0)) {
                    throw new IllegalArgumentException("a free term needs a positive prior: " + term.key());
                }
                terms.add(term);
            }
        }
        this.free = List.copyOf(terms);
    }

    private CoefficientSpace(Set<StepTimeTerm> pinned) {
        this(physicalDefaults(), pinned);
    }

    private static Map<StepTimeTerm, Double> physicalDefaults() {
        HardwareSpec reference = HardwareSpec.named(REFERENCE_HARDWARE);
        Map<StepTimeTerm, Double> values = new EnumMap<>(StepTimeTerm.class);
        for (StepTimeTerm term : StepTimeTerm.values()) {
            values.put(term, term.physicalDefault(reference));
        }
        return values;
    }

    /** Every fittable term free. */
    public static CoefficientSpace all() {
        return new CoefficientSpace(EnumSet.noneOf(StepTimeTerm.class));
    }

    /**
     * Every fittable term but {@code pinned} free, around {@code priors} (a value per term on the reference GPU, e.g.
     * the shipped set, {@link StepTimeTerm#builtIn()}) instead of the physical defaults: the fit starts there, is
     * regularised toward them and bounded around them, and pinned terms keep them. A term whose prior is 0 must be
     * pinned or never fitted.
     */
    public static CoefficientSpace around(Map<StepTimeTerm, Double> priors, Set<StepTimeTerm> pinned) {
        return new CoefficientSpace(priors, pinned);
    }

    /** Fewest distinct models that must exercise a term for the fit to free it. */
    static final int MIN_MODELS = 2;

    /**
     * Every fittable term free but those fewer than {@link #MIN_MODELS} distinct models among the runs exercise: the
     * MoE-layer cost (mixture-of-experts models), the all-reduce latency (models run at tensor-parallel size above
     * 1). Left free with no run exercising it, such a term would drift wherever the optimizer's steps take it; with
     * one model only, it would absorb everything particular to that model (on ../shared/calibration, the one MoE
     * model, Llama 4 Scout, is also the one FP8 model with dynamic activation quantization, top-1 routing and a shared
     * expert), and carry it to every other model of its kind. Pinned, it keeps its physical default.
     */
    public static CoefficientSpace seenBy(List<RunSpec> runs) {
        Set<StepTimeTerm> unseen = EnumSet.noneOf(StepTimeTerm.class);
        if (models(runs, run -> HoldoutSplit.model(run).isMoe()) < MIN_MODELS) {
            unseen.add(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS);
        }
        if (models(runs, run -> run.tp() > 1) < MIN_MODELS) {
            unseen.add(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);
        }
        return new CoefficientSpace(unseen);
    }

    private static long models(List<RunSpec> runs, Predicate<RunSpec> exercises) {
        return runs.stream().filter(exercises).map(RunSpec::model).distinct().count();
    }

    /** The same space with {@code terms} also pinned to their priors. */
    public CoefficientSpace pinning(Set<StepTimeTerm> terms) {
        Set<StepTimeTerm> all = EnumSet.noneOf(StepTimeTerm.class);
        all.addAll(pinned);
        all.addAll(terms);
        return new CoefficientSpace(priors, all);
    }

    /** The free terms, in the order of x. */
    public List<StepTimeTerm> terms() {
        return free;
    }

    /** Terms held at their prior because the data could not identify them. */
    public Set<StepTimeTerm> pinned() {
        return pinned.isEmpty() ? EnumSet.noneOf(StepTimeTerm.class) : EnumSet.copyOf(pinned);
    }

    public int dimension() {
        return free.size();
    }

    /** The value the fit starts from and is regularised toward: the physical default, or the given prior. */
    public double prior(StepTimeTerm term) {
        return priors.get(term);
    }

    public double lowerBound(int i) {
        StepTimeTerm term = free.get(i);
        return term.isEfficiency() ? Math.log(MIN_EFFICIENCY / prior(term)) : -LIMIT;
    }

    public double upperBound(int i) {
        StepTimeTerm term = free.get(i);
        return term.isEfficiency() ? Math.log(1.0 / prior(term)) : LIMIT;
    }

    /** Every term's value at point {@code x}: the free ones from x, the others at their prior. */
    public Map<StepTimeTerm, Double> coefficients(double[] x) {
        Map<StepTimeTerm, Double> values = new EnumMap<>(StepTimeTerm.class);
        for (StepTimeTerm term : StepTimeTerm.values()) {
            values.put(term, prior(term));
        }
        for (int i = 0; i < free.size(); i++) {
            StepTimeTerm term = free.get(i);
            double value = prior(term) * Math.exp(x[i]);
            // exp(ln(1/prior)) may round a hair above 1
            values.put(term, term.isEfficiency() ? Math.min(1.0, value) : value);
        }
        return values;
    }

    /** The point whose free terms take the values of {@code values} (clamped to the bounds). */
    public double[] point(Map<StepTimeTerm, Double> values) {
        double[] x = new double[free.size()];
        for (int i = 0; i < x.length; i++) {
            double value = Math.log(values.get(free.get(i)) / prior(free.get(i)));
            x[i] = Math.max(lowerBound(i), Math.min(upperBound(i), value));
        }
        return x;
    }

    /**
     * The regularisation: {@code weight} times the sum over free terms of (x_i / ln(spread_i))^2, 0 at the priors.
     */
    public double penalty(double[] x, double weight) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double z = x[i] / Math.log(spread(free.get(i)));
            sum += z * z;
        }
        return weight * sum;
    }

    /** Per free term, the log of its prior's spread: how far in x the prior deems it plausible to move. */
    public double[] scales() {
        double[] scales = new double[free.size()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = Math.log(spread(free.get(i)));
        }
        return scales;
    }

    static double spread(StepTimeTerm term) {
        return term.isEfficiency() ? EFFICIENCY_SPREAD : COST_SPREAD;
    }

    /**
     * Writes {@code values} in the engine's {@code coefficients:} format (version 2), after {@code comments}, with
     * {@code fittedOn} as the {@code fitted_on} note, and no calibrated range (the engine takes it as unknown).
     */
    public static void write(Map<StepTimeTerm, Double> values, Path file, List<String> comments, String fittedOn)
            throws IOException {
        write(values, file, comments, fittedOn, Map.of());
    }

    /**
     * As {@link #write(Map, Path, List, String)}, with the metadata keys {@code range} ({@link #calibratedRange})
     * after {@code reference_hardware}, and no intervals.
     */
    public static void write(Map<StepTimeTerm, Double> values, Path file, List<String> comments, String fittedOn,
            Map<String, String> range) throws IOException {
        write(values, file, comments, fittedOn, range, Map.of());
    }

    /**
     * As {@link #write(Map, Path, List, String, Map)}, with the metadata keys {@code intervals}
     * ({@link #intervalKeys}) after the terms.
     */
    public static void write(Map<StepTimeTerm, Double> values, Path file, List<String> comments, String fittedOn,
            Map<String, String> range, Map<String, String> intervals) throws IOException {
        StringBuilder text = new StringBuilder();
        comments.forEach(line -> text.append("# ").append(line).append('\n'));
        text.append("version=2\n");
        text.append("fitted_on=").append(fittedOn).append('\n');
        text.append("reference_hardware=").append(REFERENCE_HARDWARE).append('\n');
        range.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        for (StepTimeTerm term : StepTimeTerm.values()) {
            text.append(term.key()).append('=').append(String.format(Locale.ROOT, "%.6g", values.get(term)))
                    .append('\n');
        }
        intervals.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, text.toString());
    }

    /**
     * The {@code calibrated_*} metadata keys of a set fitted on {@code runs}, in the engine's order: the deployments
     * they cover, which each replica of the engine compares with its own (docs/engine-vllm.md, Planner properties).
     * A runs file has no pipeline column, so every run is one pipeline stage; a 16-bit run stands for both 16-bit
     * dtypes, which the step time treats alike.
     */
    public static Map<String, String> calibratedRange(List<RunSpec> runs) {
        Map<String, String> range = new LinkedHashMap<>();
        if (runs.isEmpty()) {
            return range;
        }
        Set<String> hardware = new TreeSet<>();
        Set<Integer> tensorParallelSizes = new TreeSet<>();
        Set<Dtype> dtypes = EnumSet.noneOf(Dtype.class);
        long minParameters = Long.MAX_VALUE;
        long maxParameters = 0;
        int maxModelLen = 0;
        int minBatchedTokens = Integer.MAX_VALUE;
        int maxBatchedTokens = 0;
        for (RunSpec run : runs) {
            hardware.add(HardwareSpec.resolve(HardwareSpec.valueOf(run.hardware())).name());
            tensorParallelSizes.add(run.tp());
            if (Dtype.of(run.dtype()) == Dtype.FP8) {
                dtypes.add(Dtype.FP8);
            } else {
                dtypes.add(Dtype.BF16);
                dtypes.add(Dtype.FP16);
            }
            long parameters = HoldoutSplit.model(run).parameters();
            minParameters = Math.min(minParameters, parameters);
            maxParameters = Math.max(maxParameters, parameters);
            maxModelLen = Math.max(maxModelLen, run.maxModelLen());
            minBatchedTokens = Math.min(minBatchedTokens, run.maxNumBatchedTokens());
            maxBatchedTokens = Math.max(maxBatchedTokens, run.maxNumBatchedTokens());
        }
        range.put("calibrated_hardware", String.join(",", hardware));
        range.put("calibrated_tensor_parallel_sizes", joined(tensorParallelSizes));
        range.put("calibrated_pipeline_parallel_sizes", "1");
        range.put("calibrated_parameters", minParameters + "," + maxParameters);
        range.put("calibrated_max_model_len", Integer.toString(maxModelLen));
        range.put("calibrated_max_num_batched_tokens", minBatchedTokens + "," + maxBatchedTokens);
        range.put("calibrated_dtypes", joined(dtypes));
        return range;
    }

    /**
     * The {@code interval.<term>} metadata keys of {@code intervals}, in the terms' order, leaving out the
     * {@code pinned} terms (held at their prior, so without an interval): {@code lower,upper}, three significant
     * digits each as the file's comment gives them ({@link #intervalText}). The engine's {@code coefficient_bound}
     * runs put each term at one end of its interval (docs/fidelity.md).
     */
    public static Map<String, String> intervalKeys(Map<StepTimeTerm, Bootstrap.Interval> intervals,
            Set<StepTimeTerm> pinned) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (StepTimeTerm term : StepTimeTerm.values()) {
            Bootstrap.Interval interval = intervals.get(term);
            if (interval != null && !pinned.contains(term)) {
                keys.put("interval." + term.key(), intervalText(interval.lower()) + ","
                        + intervalText(interval.upper()));
            }
        }
        return keys;
    }

    /** An end of an interval as a coefficients file writes it, in its comment and its {@code interval.*} keys. */
    static String intervalText(double end) {
        return String.format(Locale.ROOT, "%.3g", end);
    }

    private static String joined(Set<?> values) {
        StringBuilder text = new StringBuilder();
        for (Object value : values) {
            text.append(text.length() == 0 ? "" : ",").append(value);
        }
        return text.toString();
    }
}
