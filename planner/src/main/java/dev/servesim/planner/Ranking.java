package dev.servesim.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The orders a plan ranks its meeting candidates by. At a target rate: cheapest is the lowest cost per hour (GPUs when
 * no price is known), then the fewest GPUs, then the lowest first objective; the Pareto front is cost per hour against
 * the first objective's figure. Without a target: cheapest is the lowest cost per million output tokens at the
 * highest rate, and the front is that cost against the rate. Ties go by name, so the order is total.
 */
final class Ranking<T extends Ranked> {

    private final boolean targeted;
    private final String firstKey;

    Ranking(boolean targeted, String firstKey) {
        this.targeted = targeted;
        this.firstKey = firstKey;
    }

    List<T> meeting(List<T> all) {
        return all.stream().filter(Ranked::meets).toList();
    }

    /** The meeting ones, cheapest first. */
    List<T> ranked(List<T> all) {
        Comparator<T> order = targeted
                ? Comparator.<T>comparingDouble(Ranking::cost).thenComparingInt(Ranked::gpus)
                        .thenComparingDouble(this::firstFigure)
                : Comparator.<T>comparingDouble(Ranking::costPerToken).thenComparing(Comparator
                        .<T>comparingDouble(Ranked::rate).reversed());
        return meeting(all).stream().sorted(order.thenComparing(Ranked::name)).toList();
    }

    T cheapest(List<T> all) {
        List<T> ranked = ranked(all);
        return ranked.isEmpty() ? null : ranked.get(0);
    }

    T fewestGpus(List<T> all) {
        return meeting(all).stream().min(Comparator.<T>comparingInt(Ranked::gpus).thenComparingDouble(Ranking::cost)
                .thenComparingDouble(this::firstFigure).thenComparing(Ranked::name)).orElse(null);
    }

    T highestRate(List<T> all) {
        if (targeted) {
            return null;
        }
        return meeting(all).stream().max(Comparator.<T>comparingDouble(Ranked::rate)
                .thenComparing(Comparator.<T>comparingDouble(Ranking::costPerToken).reversed())
                .thenComparing(Comparator.<T, String>comparing(Ranked::name).reversed())).orElse(null);
    }

    List<T> pareto(List<T> all) {
        List<T> sorted = new ArrayList<>(meeting(all));
        List<T> front = new ArrayList<>();
        if (targeted) {
            sorted.sort(Comparator.<T>comparingDouble(Ranking::cost).thenComparingDouble(this::firstFigure)
                    .thenComparing(Ranked::name));
            double best = Double.POSITIVE_INFINITY;
            for (T candidate : sorted) {
                if (firstFigure(candidate) < best) {
                    front.add(candidate);
                    best = firstFigure(candidate);
                }
            }
            return front;
        }
        sorted.sort(Comparator.<T>comparingDouble(Ranking::costPerToken)
                .thenComparing(Comparator.<T>comparingDouble(Ranked::rate).reversed()).thenComparing(Ranked::name));
        double best = Double.NEGATIVE_INFINITY;
        for (T candidate : sorted) {
            if (candidate.rate() > best) {
                front.add(candidate);
                best = candidate.rate();
            }
        }
        return front;
    }

    /** Cost per hour, or GPUs when no price is known. */
    static double cost(Ranked candidate) {
        double usd = candidate.usdPerHour();
        return Double.isNaN(usd) ? candidate.gpus() : usd;
    }

    static double costPerToken(Ranked candidate) {
        double usd = candidate.usdPerMillionOutputTokens();
        return Double.isNaN(usd) ? candidate.gpus() / Math.max(1e-9, candidate.rate()) : usd;
    }

    private double firstFigure(Ranked candidate) {
        double figure = candidate.figureMs(firstKey);
        return Double.isNaN(figure) ? Double.POSITIVE_INFINITY : figure;
    }
}
