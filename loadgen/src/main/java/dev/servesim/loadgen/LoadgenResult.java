package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import dev.servesim.runner.RunResult;
import java.util.List;

/**
 * What a loadgen run wrote.
 *
 * @param run the run's result; its files include loadgen's own
 * @param traceRecords completed requests written to the trace
 * @param notes one line each about what could not be measured (e.g. the server has no {@code /metrics})
 * @param stoppedAtLimit whether the run stopped because {@code --max-requests} requests had ended (its summary is
 *     then marked partial, stop reason {@code interrupted})
 */
public record LoadgenResult(RunResult run, long traceRecords, List<String> notes, boolean stoppedAtLimit) {

    public LoadgenResult {
        requireNonNull(run, "run is null");
        notes = List.copyOf(notes);
    }
}
