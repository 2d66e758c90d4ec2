package dev.servesim.testing.conformance;

import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * What one conformance run gave: its output folder, the summary, every request record and step as the sinks got
 * them, and the monitors that watched every component.
 */
record Outcome(Path output, RunSummary summary, List<RequestRecord> records, List<StepRecord> steps, Checks checks) {

    /** The summary without the figures that depend on the wall clock, for comparing two runs. */
    RunSummary comparableSummary() {
        return new RunSummary(summary.runName(), summary.version(), summary.seed(), summary.configHash(),
                summary.partial(), summary.stopReason(), summary.simulatedSeconds(), 0, 0, summary.percentiles(),
                summary.requests(), summary.latencyMs(), summary.throughput(), summary.goodput(),
                summary.prefixCache(), summary.kvCache(), summary.workload(), summary.breakdown(), summary.engine(),
                summary.cluster(), summary.resources());
    }
}
