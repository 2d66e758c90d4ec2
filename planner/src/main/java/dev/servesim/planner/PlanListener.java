package dev.servesim.planner;

/** Told of the plan's progress, from the planner's threads. */
public interface PlanListener {

    /** Hears nothing. */
    PlanListener NONE = new PlanListener() {};

    /** A run ended; {@code runs} have ended so far. */
    default void evaluated(String candidate, Evaluation evaluation, int runs) {}

    /** A candidate was decided; {@code decided} of {@code candidates} are. */
    default void decided(Outcome outcome, int decided, int candidates) {}
}
