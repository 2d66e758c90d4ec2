package dev.servesim.planner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.metrics.RunSummary;
import java.util.List;

/**
 * One simulated run of a candidate: a replica count, an arrival rate and a seed, and how it went.
 *
 * @param replicas replicas of the run
 * @param rate arrival rate of the run, in the workload's unit (requests or sessions per second)
 * @param seed the run's seed
 * @param summary its summary
 * @param violations the objectives it misses ({@link PlanSlo#violations}); empty when it meets them all
 */
public record Evaluation(int replicas, double rate, long seed, RunSummary summary, List<String> violations) {

    public Evaluation {
        requireNonNull(summary, "summary is null");
        violations = List.copyOf(violations);
    }

    /** Whether the run meets every objective. */
    public boolean meets() {
        return violations.isEmpty();
    }
}
