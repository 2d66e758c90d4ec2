package dev.servesim.planner;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
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
        return outcomes.stream().filter(outcome -> outcome.status() == Outcome.Status.MEETS).toList();
    }

    /**
     * The cheapest: at a target rate the lowest cost per hour (GPUs when no price is known), then the fewest GPUs,
     * then the lowest first objective; without a target the lowest cost per million output tokens at its highest
     * rate. {@code null} if none meets the objectives.
     */
    public Outcome cheapest() {
        List<Outcome> ranked = ranked();
        return ranked.isEmpty() ? null : ranked.get(0);
    }

    /** The meeting outcomes, cheapest first (in the order of {@link #cheapest}). */
    public List<Outcome> ranked() {
        Comparator<Outcome> order = request.targeted()
                ? Comparator.comparingDouble(Plan::cost).thenComparingInt(Outcome::gpus)
                        .thenComparingDouble(this::firstFigure)
                : Comparator.comparingDouble(Plan::costPerToken).thenComparing(Comparator
                        .comparingDouble(Outcome::rate).reversed());
        return meeting().stream().sorted(order.thenComparing(Outcome::name)).toList();
    }

    /** The fewest GPUs, then the cheapest, then the lowest first objective; {@code null} if none meets. */
    public Outcome fewestGpus() {
        return meeting().stream().min(Comparator.comparingInt(Outcome::gpus).thenComparingDouble(Plan::cost)
                .thenComparingDouble(this::firstFigure).thenComparing(Outcome::name)).orElse(null);
    }

    /** The highest sustainable rate (without a target; {@code null} with one or if none meets). */
    public Outcome highestRate() {
        if (request.targeted()) {
            return null;
        }
        return meeting().stream().max(Comparator.comparingDouble(Outcome::rate)
                .thenComparing(Comparator.comparingDouble(Plan::costPerToken).reversed())
                .thenComparing(Comparator.comparing(Outcome::name).reversed())).orElse(null);
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
        List<Outcome> sorted = new ArrayList<>(meeting());
        if (request.targeted()) {
            sorted.sort(Comparator.comparingDouble(Plan::cost).thenComparingDouble(this::firstFigure)
                    .thenComparing(Outcome::name));
            List<Outcome> front = new ArrayList<>();
            double best = Double.POSITIVE_INFINITY;
            for (Outcome outcome : sorted) {
                if (firstFigure(outcome) < best) {
                    front.add(outcome);
                    best = firstFigure(outcome);
                }
            }
            return front;
        }
        sorted.sort(Comparator.comparingDouble(Plan::costPerToken)
                .thenComparing(Comparator.comparingDouble(Outcome::rate).reversed()).thenComparing(Outcome::name));
        List<Outcome> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (Outcome outcome : sorted) {
            if (outcome.rate() > best) {
                front.add(outcome);
                best = outcome.rate();
            }
        }
        return front;
    }

    /** Cost per hour, or GPUs when no price is known. */
    static double cost(Outcome outcome) {
        double usd = outcome.usdPerHour();
        return Double.isNaN(usd) ? outcome.gpus() : usd;
    }

    private static double costPerToken(Outcome outcome) {
        double usd = outcome.usdPerMillionOutputTokens();
        return Double.isNaN(usd) ? outcome.gpus() / Math.max(1e-9, outcome.rate()) : usd;
    }

    private double firstFigure(Outcome outcome) {
        double figure = outcome.figureMs(request.slo().keys().get(0));
        return Double.isNaN(figure) ? Double.POSITIVE_INFINITY : figure;
    }
}
