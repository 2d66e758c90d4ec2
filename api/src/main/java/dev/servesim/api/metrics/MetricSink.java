package dev.servesim.api.metrics;

import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;

/**
 * Receives what happens in a run. Every method is a no-op by default; a sink overrides what it needs. Exceptions
 * fail the run (a simulator must not lose results silently).
 */
public interface MetricSink {

    /** Before the first event. */
    default void onRunStarted() {}

    /** A request completed or was rejected (or, at the end of the run, is unfinished). */
    default void onRequestFinished(RequestRecord record) {}

    /** An engine step ended. */
    default void onStep(StepRecord step) {}

    /**
     * An engine replica produced {@code count} output tokens of {@code request} at {@code time}. Called for every
     * batch of every request, as the tokens stream (so live counters move with them), before the request's record:
     * keep it cheap. The runner calls it only on sinks that override it (since API 0.4).
     *
     * @param replica the replica that produced them
     * @param gapSeconds seconds since the request's previous batch, or NaN for its first token
     */
    default void onTokens(Request request, int replica, double time, int count, double gapSeconds) {}

    /**
     * An engine replica admitted {@code request} to its running batch at {@code time}: first, or again after a
     * preemption. Its prefix-cache lookup covered {@code queriedTokens} tokens (the prompt, plus the outputs so far
     * after a preemption), {@code cachedTokens} of which were cached. Called only on sinks that override it (since
     * API 0.4).
     */
    default void onAdmitted(Request request, int replica, double time, int queriedTokens, int cachedTokens) {}

    /**
     * Periodic snapshot of one replica's load, every {@code snapshot_interval} seconds of simulated time.
     *
     * @param time simulated time of the snapshot
     */
    default void onSnapshot(double time, int replica, EngineLoad load) {}

    /**
     * After the last event: write and flush results. Also called (with {@code summary.partial()} and its
     * {@code stopReason()}) when a run stops early: interrupted, over a limit, or because a component failed.
     */
    default void onRunFinished(RunSummary summary) {}

    /**
     * Releases what the sink holds (servers, threads) once nobody needs its output any more: right after
     * {@link #onRunFinished}, or - with {@code --hold} - when the user interrupts the held process. Called exactly
     * once, also when the run fails: a sink whose {@link #onRunFinished} did not complete must remove what it
     * half-wrote (temporary files), so that results appear whole or not at all.
     */
    default void close() {}
}
