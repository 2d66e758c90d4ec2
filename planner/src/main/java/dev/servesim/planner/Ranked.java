package dev.servesim.planner;

/** What ranking a plan's candidates needs of each: an outcome, or a candidate read back from a shard's plan.json. */
interface Ranked {

    String name();

    /** Whether it meets the objectives. */
    boolean meets();

    /** Cost per hour at the operating point, NaN if no price is known. */
    double usdPerHour();

    /** Cost per million output tokens at the operating point, NaN if no price is known. */
    double usdPerMillionOutputTokens();

    /** GPUs at the operating point. */
    int gpus();

    /** Arrival rate at the operating point. */
    double rate();

    /** The figure (ms) of objective {@code key} at the operating point, NaN if unknown. */
    double figureMs(String key);
}
