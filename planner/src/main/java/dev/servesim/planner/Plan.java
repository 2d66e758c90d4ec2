package dev.servesim.planner;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a plan found: every candidate's outcome, the cost-vs-latency Pareto front of those that meet the objectives,
 * and the recommended ones.
 *
 * @param request what was asked
 * @param outcomes one per candidate, in the order of the search space
 * @param partial true if the plan was interrupted: undecided candidates are {@link Outcome.Status#UNFINISHED}
 */
public record Plan(PlanRequest request, List<Outcome> outcomes, boolean partial) {

    public Plan {
        requireNonNull(request, "request is null");
        outcomes = List.copyOf(outcomes);
    }

    /** The outcomes that meet the objectives. */
    public List<Outcome> meeting() {
        return ranking().meeting(outcomes);
    }

    /**
     * The cheapest: at a target rate the lowest cost per hour (GPUs when no price is known), then the fewest GPUs,
     * then the lowest first objective; without a target the lowest cost per million output tokens at its highest
     * rate. {@code null} if none meets the objectives.
     */
    public Outcome cheapest() {
        return ranking().cheapest(outcomes);
    }

    /** The meeting outcomes, cheapest first (in the order of {@link #cheapest}). */
    public List<Outcome> ranked() {
        return ranking().ranked(outcomes);
    }

    /** The fewest GPUs, then the cheapest, then the lowest first objective; {@code null} if none meets. */
    public Outcome fewestGpus() {
        return ranking().fewestGpus(outcomes);
    }

    /** The highest sustainable rate (without a target; {@code null} with one or if none meets). */
    public Outcome highestRate() {
        return ranking().highestRate(outcomes);
    }

    /** The recommended deployment: the cheapest. */
    public Outcome chosen() {
        return cheapest();
    }

    /**
     * The Pareto front of the meeting outcomes, by increasing cost: at a target rate cost per hour against the first
     * objective's figure (both lower is better); without one cost per million output tokens against the rate.
     */
    public List<Outcome> pareto() {
        return ranking().pareto(outcomes);
    }

    private Ranking<Outcome> ranking() {
        return new Ranking<>(request.targeted(), request.slo().keys().get(0));
    }
}
