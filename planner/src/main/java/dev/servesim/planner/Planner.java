package dev.servesim.planner;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.RunConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a plan: each candidate of the search space (or of this shard of it) is searched on its own thread, up to
 * {@code jobs} at once; a candidate's search depends only on its own runs, so the answer does not depend on the number
 * of threads. {@link #stop} ends the runs in progress and returns what was decided so far.
 */
public final class Planner {

    private final PlanRequest request;
    private final Runs runs;
    private final PlanListener listener;

    public Planner(ConfigLoader loader, PlanRequest request, PlanListener listener) {
        this.request = request;
        this.listener = listener;
        this.runs = new Runs(loader, request, listener);
    }

    /** The candidates: their assignments (a replica count appended without a target, one per count searched). */
    public List<List<String>> candidates() {
        List<List<String>> combinations = request.shard().select(request.space().combinations());
        // every candidate's configuration must load before anything runs, so a typo fails at once
        for (List<String> combination : combinations) {
            runs.configuration(combination, null, request.targeted() ? request.targetRate() : Double.NaN, "[]");
        }
        return combinations;
    }

    /** Runs the plan. */
    public Plan run() {
        List<List<String>> combinations = candidates();
        List<Task> tasks = new ArrayList<>();
        for (List<String> combination : combinations) {
            if (request.targeted()) {
                tasks.add(new Task(combination, null));
            } else {
                for (Integer count : maxRateCounts()) {
                    tasks.add(new Task(combination, count));
                }
            }
        }
        List<Integer> counts = replicaCounts();
        double startRate = request.targeted() ? request.targetRate() : configuredRate();
        CandidateSearch search = new CandidateSearch(runs, request, counts);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(request.jobs(), Math.max(1, tasks.size())),
                runnable -> {
                    Thread thread = new Thread(runnable, "servesim-plan");
                    thread.setDaemon(true);
                    return thread;
                });
        AtomicInteger decided = new AtomicInteger();
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    Outcome outcome = request.targeted() ? search.atTarget(task.assignments())
                            : search.highestRate(task.assignments(), task.replicas(), startRate);
                    listener.decided(outcome, decided.incrementAndGet(), tasks.size());
                    return outcome;
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                outcomes.add(outcome(futures.get(i), tasks.get(i)));
            }
            return new Plan(request, outcomes, runs.stopped());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Ends the runs in progress: {@link #run} returns the candidates decided so far. */
    public void stop() {
        runs.stop();
    }

    /** Runs ended so far. */
    public int runsDone() {
        return runs.done();
    }

    private record Task(List<String> assignments, Integer replicas) {
        List<String> named() {
            List<String> named = new ArrayList<>(assignments);
            if (replicas != null) {
                named.add(SearchSpace.REPLICAS_KEY + "=" + replicas);
            }
            return named;
        }
    }

    private Outcome outcome(Future<Outcome> future, Task task) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs.stop();
            return unfinished(task);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Runs.Stopped) {
                return unfinished(task);
            }
            if (e.getCause() instanceof ServesimException servesim) {
                throw servesim;
            }
            throw new ServesimException(ErrorKind.PLUGIN, "planning " + CandidateSearch.name(task.named())
                    + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static Outcome unfinished(Task task) {
        return new Outcome(CandidateSearch.name(task.named()), task.named(), Outcome.Status.UNFINISHED,
                "the plan was interrupted", "", 0, null, Map.of(), 0, null, Double.NaN, "", List.of());
    }

    /** The replica counts searched at a target rate. */
    List<Integer> replicaCounts() {
        if (!request.space().replicas().isEmpty()) {
            return request.space().replicas();
        }
        List<Integer> counts = new ArrayList<>();
        for (int count = 1; count <= PlanRequest.DEFAULT_MAX_REPLICAS; count++) {
            counts.add(count);
        }
        return counts;
    }

    /** Without a target, each replica count named is a candidate of its own (none named: the configuration's). */
    private List<Integer> maxRateCounts() {
        List<Integer> counts = request.space().replicas();
        if (counts.size() > 16) {
            throw new ServesimException(ErrorKind.CONFIG, "--search " + SearchSpace.REPLICAS_KEY + ": without "
                    + "--target each count is a candidate of its own; list at most 16 counts, e.g. 1,2,4,8");
        }
        if (counts.isEmpty()) {
            List<Integer> own = new ArrayList<>();
            own.add(null);
            return own;
        }
        return counts;
    }

    /** The arrival rate of the configuration, where a search without a target starts. */
    private double configuredRate() {
        RunConfiguration base = runs.configuration(List.of(), null, Double.NaN, "[]");
        String pointer = "/" + request.rateKey().replace('.', '/');
        com.fasterxml.jackson.databind.JsonNode rate = base.resolvedTree().at(pointer);
        if (!rate.isNumber() || !(rate.asDouble() > 0)) {
            throw new ServesimException(ErrorKind.CONFIG, request.config() + ": " + request.rateKey() + " is not "
                    + "set to a rate; plan varies the arrival rate through it (set --rate-key to the workload's rate"
                    + " key)");
        }
        return rate.asDouble();
    }

    Runs runs() {
        return runs;
    }
}
