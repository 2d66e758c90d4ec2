package dev.servesim.api.sim;

/** Handle of a scheduled action. */
public interface ScheduledEvent {

    /** Simulated time at which the action runs, in seconds. */
    double time();

    /** Prevents the action from running; does nothing if it already ran or was cancelled. */
    void cancel();

    /** True until the action has run or been cancelled. */
    boolean isPending();
}
