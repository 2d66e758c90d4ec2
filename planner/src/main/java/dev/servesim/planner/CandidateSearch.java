package dev.servesim.planner;

import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.runner.ClusterSettings;
import dev.servesim.runner.RunConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search for one candidate. It assumes what makes bisection valid: a deployment that meets the objectives at a
 * rate meets them at every lower rate, and with more replicas at the same rate. Both hold for the simulated engine up
 * to the noise of one seed's arrivals, which the extra seeds at the operating point expose.
 *
 * <ol>
 *   <li>Physics first: the engines are assembled without simulating; a model whose weights do not fit is pruned.</li>
 *   <li>One replica's saturation point: its highest rate meeting the objectives, bracketed by doubling or halving
 *       and bisected to {@value #BISECTIONS} steps; the first run beyond it names the limiting resource. After the
 *       first run, whose mean lengths and hit rate it uses, the engine's roofline prunes candidates that could not
 *       reach the target even with the most replicas allowed.</li>
 *   <li>At a target rate: the fewest replicas meeting it, starting from target / saturation point (a cluster
 *       multiplexes better than one replica, so this usually meets) and bisecting down to the roofline's lower
 *       bound, or up by doubling. Without a target: the highest rate at each replica count.</li>
 *   <li>The operating point is run with the other seeds; at a target rate a seed that misses moves it up one replica
 *       count. The spread over seeds is the band.</li>
 * </ol>
 */
final class CandidateSearch {

    /** Bisection steps after bracketing the saturation rate within a factor of 2: about 3% precision. */
    static final int BISECTIONS = 5;
    private static final int MAX_HALVINGS = 10;
    private static final int MAX_DOUBLINGS = 12;
    /** Without a target, a rate some seed misses is lowered by this factor, at most {@link #MAX_SEED_STEPS} times. */
    static final double SEED_STEP = 0.97;
    private static final int MAX_SEED_STEPS = 10;

    /** The engine property listing the ends of its coefficients' intervals a run may use, e.g. {@code slow,fast}. */
    static final String BOUNDS_PROPERTY = "coefficient_bounds";
    /** The framework key choosing one. */
    static final String BOUND_KEY = "coefficient_bound";

    private final Runs runs;
    private final PlanRequest request;
    private final List<Integer> counts;

    CandidateSearch(Runs runs, PlanRequest request, List<Integer> counts) {
        this.runs = runs;
        this.request = request;
        this.counts = counts;
    }

    /** Searches a candidate at the target rate. */
    Outcome atTarget(List<String> assignments) {
        double target = request.targetRate();
        List<Evaluation> evaluations = new ArrayList<>();
        RunConfiguration probe;
        EngineInfo info;
        boolean fixed;
        int configuredReplicas;
        List<EngineInfo> infos;
        try {
            probe = runs.configuration(assignments, null, target, "[]");
            fixed = fixedSize(probe);
            configuredReplicas = probe.replicaFrameworks().size();
            if (!fixed) {
                probe = runs.configuration(assignments, 1, target, "[]");
            }
            infos = runs.engines(probe);
            info = infos.get(0);
        } catch (ServesimException e) {
            return pruned(assignments, "does not fit: " + e.getMessage(), null, Double.NaN, List.of());
        }
        long seed = probe.settings().seed();
        String gpu = gpus(infos);
        int perReplica = Math.max(1, info.memory().gpusPerReplica());
        String calibration = calibration(info);
        if (fixed) {
            // a fleet of replica groups (or prefill and decode pools) is run as it is
            Evaluation run = runs.run(assignments, null, target, seed);
            evaluations.add(run);
            List<Evaluation> seeds = run.meets() ? otherSeeds(assignments, null, target, seed, evaluations)
                    : List.of();
            return withModelBand(finish(assignments, info, calibration, run, null, Double.NaN, evaluations,
                    seeds.stream().allMatch(Evaluation::meets), seeds).withGpu(gpu), assignments, null, info);
        }
        if (request.maxGpus() != null && perReplica * counts.get(0) > request.maxGpus()) {
            return pruned(assignments, "over the GPU budget: " + perReplica * counts.get(0) + " GPUs at "
                    + counts.get(0) + " replica(s) > " + request.maxGpus(), info, Double.NaN, evaluations);
        }
        // one replica's saturation point, which also measures the workload for the roofline
        // from the configuration's own rate per replica (at least halved): overloaded runs are the slow ones
        double start = target / Math.max(2, configuredReplicas);
        RateSearch single = highestRate(assignments, 1, start, seed, evaluations);
        double roofline = Roofline.ratePerReplica(info, evaluations.get(0).summary());
        Saturation saturation = Limits.classify(single.rate, single.beyond, info);
        int last = counts.get(counts.size() - 1);
        int lowest = counts.get(0);
        if (roofline > 0) {
            int needed = (int) Math.ceil(target / roofline - 1e-9);
            if (needed > last) {
                return pruned(assignments, String.format(Locale.ROOT, "roofline: one replica serves at most %.3g/s,"
                        + " so %d replicas are needed, more than %d", roofline, needed, last), info, roofline,
                        evaluations, saturation);
            }
            lowest = Math.max(lowest, needed);
        }
        int maxReplicas = last;
        if (request.maxGpus() != null) {
            maxReplicas = Math.min(maxReplicas, request.maxGpus() / perReplica);
        }
        int lowIndex = indexAtLeast(lowest);
        int highIndex = indexAtMost(maxReplicas);
        if (lowIndex < 0 || highIndex < lowIndex) {
            return pruned(assignments, "over the GPU budget: at least " + lowest + " replicas of " + perReplica
                    + " GPUs are needed", info, roofline, evaluations, saturation);
        }
        int guess = single.rate > 0 ? (int) Math.ceil(target / single.rate - 1e-9) : counts.get(highIndex);
        int index = Math.min(highIndex, Math.max(lowIndex, indexAtLeastOrLast(guess)));
        Map<Integer, Evaluation> byIndex = new HashMap<>();
        Evaluation first = evaluate(assignments, index, target, seed, evaluations, byIndex);
        int failing = lowIndex - 1;
        int meeting = -1;
        if (first.meets()) {
            meeting = index;
            // usually one below fails: try it before bisecting
            if (index - 1 > failing) {
                if (evaluate(assignments, index - 1, target, seed, evaluations, byIndex).meets()) {
                    meeting = index - 1;
                } else {
                    failing = index - 1;
                }
            }
        } else {
            failing = index;
            while (meeting < 0 && failing < highIndex) {
                int next = Math.min(highIndex, Math.max(failing + 1, indexAtLeastOrLast(2 * counts.get(failing))));
                if (evaluate(assignments, next, target, seed, evaluations, byIndex).meets()) {
                    meeting = next;
                } else {
                    failing = next;
                }
            }
        }
        if (meeting < 0) {
            Evaluation best = byIndex.get(failing);
            return new Outcome(name(assignments), assignments, Outcome.Status.FAILS, "misses at "
                    + counts.get(failing) + " replicas (the most allowed): " + String.join("; ", best.violations()),
                    gpu, perReplica, best, Map.of(), 0, saturation, roofline, calibration, evaluations);
        }
        while (meeting - failing > 1) {
            int middle = (meeting + failing) >>> 1;
            if (evaluate(assignments, middle, target, seed, evaluations, byIndex).meets()) {
                meeting = middle;
            } else {
                failing = middle;
            }
        }
        // the other seeds: a miss moves the operating point up
        while (true) {
            Evaluation operating = byIndex.get(meeting);
            List<Evaluation> seeds = otherSeeds(assignments, counts.get(meeting), target, seed, evaluations);
            boolean allMeet = seeds.stream().allMatch(Evaluation::meets);
            if (allMeet || meeting >= highIndex) {
                return withModelBand(finish(assignments, info, calibration, operating, saturation, roofline,
                        evaluations, allMeet, seeds), assignments, counts.get(meeting), info);
            }
            meeting++;
            while (meeting < highIndex && !evaluate(assignments, meeting, target, seed, evaluations, byIndex).meets()) {
                meeting++;
            }
            evaluate(assignments, meeting, target, seed, evaluations, byIndex);
        }
    }

    /** Searches a candidate's highest rate at {@code replicas} ({@code null}: its own size). */
    Outcome highestRate(List<String> assignments, Integer replicas, double startRate) {
        List<Evaluation> evaluations = new ArrayList<>();
        List<String> named = new ArrayList<>(assignments);
        RunConfiguration probe;
        EngineInfo info;
        try {
            probe = runs.configuration(assignments, replicas, startRate, "[]");
            info = runs.engines(probe).get(0);
        } catch (ServesimException e) {
            if (replicas != null) {
                named.add(SearchSpace.REPLICAS_KEY + "=" + replicas);
            }
            return pruned(named, "does not fit: " + e.getMessage(), null, Double.NaN, List.of());
        }
        int size = probe.replicaFrameworks().size();
        if (replicas != null) {
            named.add(SearchSpace.REPLICAS_KEY + "=" + replicas);
        }
        long seed = probe.settings().seed();
        int perReplica = Math.max(1, info.memory().gpusPerReplica());
        if (request.maxGpus() != null && perReplica * size > request.maxGpus()) {
            return pruned(named, "over the GPU budget: " + perReplica * size + " GPUs > " + request.maxGpus(), info,
                    Double.NaN, evaluations);
        }
        RateSearch search = highestRate(assignments, replicas, startRate, seed, evaluations);
        double roofline = Roofline.ratePerReplica(info, evaluations.get(0).summary());
        Saturation saturation = Limits.classify(search.rate / size, search.beyond, info);
        if (search.meeting == null) {
            Evaluation lowest = evaluations.get(evaluations.size() - 1);
            return new Outcome(name(named), named, Outcome.Status.FAILS, "misses even at " + Runs.text(lowest.rate())
                    + "/s: " + String.join("; ", lowest.violations()), info.memory().gpu(), perReplica, lowest,
                    Map.of(), 0, saturation, roofline, calibration(info), evaluations);
        }
        // the highest rate that every seed meets: a seed that misses lowers it by a step of the bisection's precision
        Evaluation operating = search.meeting;
        List<Evaluation> seeds = otherSeeds(assignments, replicas, operating.rate(), seed, evaluations);
        for (int step = 0; step < MAX_SEED_STEPS && !seeds.stream().allMatch(Evaluation::meets); step++) {
            double lower = Runs.rounded(operating.rate() * SEED_STEP);
            Evaluation primary = runs.run(assignments, replicas, lower, seed);
            evaluations.add(primary);
            if (!primary.meets()) {
                operating = primary;
                seeds = List.of();
                continue;
            }
            operating = primary;
            seeds = otherSeeds(assignments, replicas, lower, seed, evaluations);
        }
        return withModelBand(finish(named, info, calibration(info), operating, saturation, roofline, evaluations,
                seeds.stream().allMatch(Evaluation::meets), seeds), assignments, replicas, info);
    }

    /** The outcome of a bisection on the rate: the highest rate found to meet, its run, and the first run beyond. */
    private record RateSearch(double rate, Evaluation meeting, Evaluation beyond) {}

    private RateSearch highestRate(List<String> assignments, Integer replicas, double start, long seed,
            List<Evaluation> evaluations) {
        Bracket bracket = new Bracket(assignments, replicas, seed, evaluations);
        if (bracket.probe(Runs.rounded(start))) {
            for (int doubling = 0; doubling < MAX_DOUBLINGS && Double.isNaN(bracket.high); doubling++) {
                bracket.probe(Runs.rounded(bracket.low * 2));
            }
            if (Double.isNaN(bracket.high)) {
                return new RateSearch(bracket.low, bracket.meeting, null);
            }
        } else {
            for (int halving = 0; halving < MAX_HALVINGS && Double.isNaN(bracket.low); halving++) {
                bracket.probe(Runs.rounded(bracket.high / 2));
            }
            if (Double.isNaN(bracket.low)) {
                return new RateSearch(0, null, bracket.beyond);
            }
        }
        for (int step = 0; step < BISECTIONS; step++) {
            double middle = Runs.rounded((bracket.low + bracket.high) / 2);
            if (middle <= bracket.low || middle >= bracket.high) {
                break;
            }
            bracket.probe(middle);
        }
        return new RateSearch(bracket.low, bracket.meeting, bracket.beyond);
    }

    /** The rates known to meet ({@code low}, its run) and to miss ({@code high}, its run) so far; NaN while unknown. */
    private final class Bracket {
        private final List<String> assignments;
        private final Integer replicas;
        private final long seed;
        private final List<Evaluation> evaluations;
        private double low = Double.NaN;
        private double high = Double.NaN;
        private Evaluation meeting;
        private Evaluation beyond;

        Bracket(List<String> assignments, Integer replicas, long seed, List<Evaluation> evaluations) {
            this.assignments = assignments;
            this.replicas = replicas;
            this.seed = seed;
            this.evaluations = evaluations;
        }

        /** Runs {@code rate}, narrows the bracket by it, and says whether it met the objectives. */
        boolean probe(double rate) {
            Evaluation run = runs.run(assignments, replicas, rate, seed);
            evaluations.add(run);
            if (run.meets()) {
                meeting = run;
                low = rate;
            } else {
                beyond = run;
                high = rate;
            }
            return run.meets();
        }
    }

    private Evaluation evaluate(List<String> assignments, int index, double rate, long seed,
            List<Evaluation> evaluations, Map<Integer, Evaluation> byIndex) {
        Evaluation known = byIndex.get(index);
        if (known != null) {
            return known;
        }
        Evaluation run = runs.run(assignments, counts.get(index), rate, seed);
        evaluations.add(run);
        byIndex.put(index, run);
        return run;
    }

    private List<Evaluation> otherSeeds(List<String> assignments, Integer replicas, double rate, long seed,
            List<Evaluation> evaluations) {
        List<Evaluation> seeds = new ArrayList<>();
        for (int extra = 1; extra < request.seeds(); extra++) {
            Evaluation run = runs.run(assignments, replicas, rate, seed + extra);
            evaluations.add(run);
            seeds.add(run);
        }
        return seeds;
    }

    private Outcome finish(List<String> assignments, EngineInfo info, String calibration, Evaluation operating,
            Saturation saturation, double roofline, List<Evaluation> evaluations, boolean meets) {
        return finish(assignments, info, calibration, operating, saturation, roofline, evaluations, meets, List.of());
    }

    private Outcome finish(List<String> assignments, EngineInfo info, String calibration, Evaluation operating,
            Saturation saturation, double roofline, List<Evaluation> evaluations, boolean seedsMeet,
            List<Evaluation> otherSeeds) {
        List<Evaluation> atPoint = new ArrayList<>();
        atPoint.add(operating);
        atPoint.addAll(otherSeeds);
        Map<String, double[]> band = new HashMap<>();
        for (String key : request.slo().keys()) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (Evaluation run : atPoint) {
                double figure = PlanSlo.figureMs(run.summary(), key);
                low = Math.min(low, figure);
                high = Math.max(high, figure);
            }
            if (low <= high) {
                band.put(key, new double[] {low, high});
            }
        }
        int meetingSeeds = (int) atPoint.stream().filter(Evaluation::meets).count();
        boolean meets = operating.meets() && seedsMeet;
        String reason = meets ? "" : operating.meets()
                ? "misses on " + (atPoint.size() - meetingSeeds) + " of " + atPoint.size() + " seeds at the most "
                        + "replicas allowed: " + String.join("; ", firstMiss(otherSeeds))
                : String.join("; ", operating.violations());
        return new Outcome(name(assignments), assignments, meets ? Outcome.Status.MEETS : Outcome.Status.FAILS,
                reason, info.memory().gpu(), Math.max(1, info.memory().gpusPerReplica()), operating, band,
                meetingSeeds, saturation, roofline, withContext(calibration, info, operating), evaluations);
    }

    /**
     * The operating point run again with the engine's coefficients at each end of their fitted intervals, when the
     * engine offers that ({@value #BOUNDS_PROPERTY} lists the ends, set through {@code framework.}{@value
     * #BOUND_KEY}): the objectives' figures, lowest and highest over the ends and the fitted run. Not a miss or a pass:
     * the spread the calibration's own uncertainty gives, beside the spread over seeds.
     */
    private Outcome withModelBand(Outcome outcome, List<String> assignments, Integer replicas, EngineInfo info) {
        String bounds = info.properties().get(BOUNDS_PROPERTY);
        Evaluation operating = outcome.result();
        if (bounds == null || bounds.isBlank() || operating == null) {
            return outcome;
        }
        Map<String, double[]> band = new HashMap<>();
        for (String key : request.slo().keys()) {
            double figure = PlanSlo.figureMs(operating.summary(), key);
            band.put(key, new double[] {figure, figure});
        }
        for (String bound : bounds.split(",")) {
            List<String> bounded = new ArrayList<>(assignments);
            bounded.add("framework." + BOUND_KEY + "=" + bound.trim());
            Evaluation run = runs.run(bounded, replicas, operating.rate(), operating.seed());
            for (String key : request.slo().keys()) {
                double figure = PlanSlo.figureMs(run.summary(), key);
                double[] range = band.get(key);
                range[0] = Math.min(range[0], figure);
                range[1] = Math.max(range[1], figure);
            }
        }
        return outcome.withModelBand(band);
    }

    private static List<String> firstMiss(List<Evaluation> runs) {
        return runs.stream().filter(run -> !run.meets()).findFirst().map(Evaluation::violations).orElse(List.of());
    }

    private Outcome pruned(List<String> assignments, String reason, EngineInfo info, double roofline,
            List<Evaluation> evaluations) {
        return pruned(assignments, reason, info, roofline, evaluations, null);
    }

    private Outcome pruned(List<String> assignments, String reason, EngineInfo info, double roofline,
            List<Evaluation> evaluations, Saturation saturation) {
        Saturation limit = saturation;
        if (limit == null && reason.startsWith("does not fit")) {
            limit = new Saturation(Double.NaN, "memory for weights", reason.substring("does not fit: ".length()));
        }
        return new Outcome(name(assignments), assignments, Outcome.Status.PRUNED, reason,
                info == null ? "" : info.memory().gpu(), info == null ? 0 : Math.max(1, info.memory().gpusPerReplica()),
                null, Map.of(), 0, limit, roofline, info == null ? "" : calibration(info), evaluations);
    }

    /** The GPUs of a deployment's replicas: one name, or the distinct names joined by {@code +} (a mixed fleet). */
    static String gpus(List<EngineInfo> infos) {
        return String.join("+", infos.stream().map(each -> each.memory().gpu()).distinct().toList());
    }

    static String name(List<String> assignments) {
        return assignments.isEmpty() ? "base configuration" : String.join(", ", assignments);
    }

    static String calibration(EngineInfo info) {
        return info.properties().getOrDefault("calibration", "");
    }

    /**
     * The engine's calibration note, and whether the workload's sequences are longer than any the calibration saw
     * (the engine reports the longest context it was calibrated on as {@code calibrated_context_tokens}).
     */
    static String withContext(String calibration, EngineInfo info, Evaluation run) {
        String calibrated = info.properties().get("calibrated_context_tokens");
        double mean = run.summary().resources().meanSequenceTokens();
        if (calibrated == null || !(mean > 0)) {
            return calibration;
        }
        try {
            long tokens = Long.parseLong(calibrated.trim());
            if (mean <= tokens) {
                return calibration;
            }
            String reason = String.format(java.util.Locale.ROOT, "mean sequence %.0f tokens (calibrated up to %d)",
                    mean, tokens);
            return calibration.isEmpty() ? "outside the calibrated range: " + reason : calibration + "; " + reason;
        } catch (NumberFormatException e) {
            return calibration;
        }
    }

    /** Whether the configuration's size is fixed (replica groups, or prefill and decode pools). */
    static boolean fixedSize(RunConfiguration configuration) {
        ClusterSettings cluster = configuration.cluster();
        return cluster.disaggregated() || (cluster.groups() != null && !cluster.groups().isEmpty());
    }

    private int indexAtLeast(int count) {
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) >= count) {
                return i;
            }
        }
        return -1;
    }

    private int indexAtLeastOrLast(int count) {
        int index = indexAtLeast(count);
        return index < 0 ? counts.size() - 1 : index;
    }

    private int indexAtMost(int count) {
        int found = -1;
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) <= count) {
                found = i;
            }
        }
        return found;
    }
}
