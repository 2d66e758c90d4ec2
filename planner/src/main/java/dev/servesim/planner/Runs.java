package dev.servesim.planner;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.SimulationRunner;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds and runs the candidates' configurations: the base configuration with the {@code --set} overrides, the
 * candidate's assignments, a replica count and an arrival rate, no sinks but the resolved configuration (each run's
 * folder under {@code evaluations/} says how to run it again), and the plan's objectives as the run's goodput SLOs.
 * A stop asked for ends the runs in progress; their results are not used.
 */
final class Runs {

    /** Thrown by a run that a stop ended. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("plan stopped", null, false, false);
        }
    }

    private final ConfigLoader loader;
    private final PlanRequest request;
    private final Set<RunControl> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger done = new AtomicInteger();
    private final PlanListener listener;
    private volatile boolean stopped;
    private volatile String horizon;

    Runs(ConfigLoader loader, PlanRequest request, PlanListener listener) {
        this.loader = loader;
        this.request = request;
        this.listener = listener;
    }

    /** The configuration of a candidate at {@code replicas} ({@code null}: its own) and {@code rate} (NaN: its own). */
    RunConfiguration configuration(List<String> assignments, Integer replicas, double rate, String sinks) {
        List<String> overrides = new ArrayList<>(request.overrides());
        overrides.addAll(assignments);
        if (replicas != null) {
            overrides.add(SearchSpace.REPLICAS_KEY + "=" + replicas);
        } else if (assignments.stream().anyMatch(assignment -> assignment.startsWith("cluster.groups="))) {
            // a searched fleet of groups has the size of its groups, whatever the configuration's replicas say
            overrides.add(SearchSpace.REPLICAS_KEY + "=null");
        }
        if (!Double.isNaN(rate)) {
            overrides.add(request.rateKey() + "=" + text(rate));
        }
        overrides.add("sinks=" + sinks);
        String horizon = horizon();
        if (horizon != null) {
            overrides.add("horizon=" + horizon);
        }
        if (request.slo().ttftSeconds() != null) {
            overrides.add("slo.ttft=" + request.slo().ttftSeconds());
        }
        if (request.slo().tpotSeconds() != null) {
            overrides.add("slo.tpot=" + request.slo().tpotSeconds());
        }
        RunConfiguration configuration;
        try {
            // one load at a time: the loader and the plugins' configuration binding are not meant for threads
            synchronized (loader) {
                configuration = loader.load(request.config(), overrides);
            }
        } catch (ServesimException e) {
            throw new ServesimException(e.kind(), (assignments.isEmpty() ? "" : String.join(", ", assignments)
                    + ": ") + e.getMessage(), e);
        }
        return request.seed() == null ? configuration : configuration.withSeed(request.seed());
    }

    /**
     * The horizon of the runs: twice the workload's {@code total_duration} (or {@code duration}) plus a minute, unless
     * the configuration sets one. An overloaded run then ends with its backlog unfinished, which fails it, instead of
     * draining a queue for many times the workload's length; a run that keeps up has long ended by then.
     */
    private String horizon() {
        String known = horizon;
        if (known == null) {
            com.fasterxml.jackson.databind.JsonNode tree;
            synchronized (loader) {
                tree = loader.load(request.config(), request.overrides()).resolvedTree();
            }
            com.fasterxml.jackson.databind.JsonNode duration = tree.path("workload").path("total_duration");
            if (!duration.isNumber()) {
                duration = tree.path("workload").path("duration");
            }
            known = tree.path("horizon").isNumber() || !duration.isNumber() ? "" : text(2 * duration.asDouble() + 60);
            horizon = known;
        }
        return known.isEmpty() ? null : known;
    }

    /** What each replica's engine reports of itself, without simulating (the model must fit). */
    List<EngineInfo> engines(RunConfiguration configuration) {
        return SimulationRunner.engines(configuration, request.out().resolve("evaluations"));
    }

    /** Runs a candidate at {@code replicas} and {@code rate} with {@code seed}. */
    Evaluation run(List<String> assignments, Integer replicas, double rate, long seed) {
        if (stopped) {
            throw new Stopped();
        }
        RunConfiguration configuration = configuration(assignments, replicas, rate, "[]").withSeed(seed);
        int replicaCount = configuration.replicaFrameworks().size();
        Path folder = request.out().resolve("evaluations").resolve(folderName(assignments))
                .resolve("r" + replicaCount + "_rate" + text(rate) + "_seed" + seed);
        RunControl control = new RunControl();
        active.add(control);
        RunResult result;
        try {
            if (stopped) {
                throw new Stopped();
            }
            result = SimulationRunner.run(configuration, folder, control);
        } finally {
            active.remove(control);
        }
        if (stopped && result.summary().partial()) {
            throw new Stopped();
        }
        if (result.summary().partial()) {
            throw new ServesimException(ErrorKind.PLUGIN, "a run of " + String.join(", ", assignments)
                    + " stopped early: " + result.summary().stopReason());
        }
        Evaluation evaluation = new Evaluation(replicaCount, rate, seed, result.summary(),
                request.slo().violations(result.summary()));
        listener.evaluated(String.join(", ", assignments), evaluation, done.incrementAndGet());
        return evaluation;
    }

    /** Ends the runs in progress and refuses new ones. */
    void stop() {
        stopped = true;
        active.forEach(control -> control.requestStop());
    }

    boolean stopped() {
        return stopped;
    }

    int done() {
        return done.get();
    }

    /** A rate rounded to 4 significant digits, so that the runs' rates read well and are the same everywhere. */
    static double rounded(double rate) {
        return new BigDecimal(rate).round(new MathContext(4)).doubleValue();
    }

    /** A rate as a configuration value, e.g. {@code 40} or {@code 7.125}. */
    static String text(double rate) {
        return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
    }

    /** A file-system-safe folder name for assignments, e.g. {@code framework.hardware-H200}. */
    static String folderName(List<String> assignments) {
        if (assignments.isEmpty()) {
            return "base";
        }
        String joined = String.join("_", assignments).replace('=', '-').replaceAll("[^A-Za-z0-9._+-]", "-");
        return joined.length() <= 120 ? joined : joined.substring(0, 100) + "-"
                + Integer.toHexString(joined.hashCode());
    }
}
