package dev.servesim.api.workload;

import dev.servesim.api.request.RequestRecord;
import java.util.Map;

/**
 * Produces requests on the simulation clock. A source generates lazily: it schedules its next arrival with
 * {@link WorkloadContext#scheduler()} and hands each request to {@link WorkloadContext#submit} at its arrival time,
 * so memory stays flat however long the workload is. The run ends when no events are left (or at the horizon), so a
 * source signals that it is exhausted simply by scheduling nothing more.
 */
public interface WorkloadSource {

    /** Called once at time 0, before any event runs: schedule the first arrivals. */
    void start();

    /**
     * Called when a request of this source completed or was rejected. Closed-loop sources (sessions, fixed
     * concurrency) schedule their next request from here. The default does nothing (open loop).
     */
    default void onRequestDone(RequestRecord record) {}

    /**
     * Counters the source wants in the run summary (under {@code workload}), e.g. {@code skipped_lines} of a trace,
     * with snake_case names; read once at the end of the run. Empty by default.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * Releases what the source holds open (a trace file). Called exactly once, after the run - also when it failed -
     * or after {@code servesim validate} assembled the run without running it. Default: nothing to release (since
     * API 0.3).
     */
    default void close() {}
}
