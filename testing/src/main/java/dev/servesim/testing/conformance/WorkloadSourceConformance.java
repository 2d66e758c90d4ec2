package dev.servesim.testing.conformance;

import static dev.servesim.testing.conformance.Kits.assertEveryRequestEnded;
import static dev.servesim.testing.conformance.Kits.assertSameResults;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a workload source, checked with the real vLLM engine serving what it submits: extend this class in
 * your plugin's tests and return your source's {@code workload} section (one that ends by itself: a duration, a
 * number of requests, or a finite trace).
 *
 * <p>A monitor checks every call: {@code start} once; each request submitted at its arrival time, with an id not
 * used before, a prompt and at least one output token; {@code onRequestDone} once per submitted request;
 * {@code close} once. The run must end by itself with every request served, and a second run with the same seed
 * must submit the same requests at the same times. A run cut short by a horizon must still close the source.
 */
public abstract class WorkloadSourceConformance {

    /** For subclasses. */
    protected WorkloadSourceConformance() {}

    /** The configuration's {@code workload} section as a YAML mapping, e.g. {@code {source: my-source}}. */
    protected abstract String workloadSection();

    @Test
    public void submitsRequestsThatAreAllServed(@TempDir Path folder) {
        Outcome outcome = ConformanceRun.run(folder, "served", Kits.config(1, Kits.ENGINE, Kits.CACHE, null,
                workloadSection()));

        assertEveryRequestEnded(outcome);
        assertThat(outcome.checks().workloads()).as("sources created").hasSize(1);
        CheckedWorkloadSource source = outcome.checks().workloads().get(0);
        assertThat(source.starts()).as("start() calls").isEqualTo(1);
        assertThat(source.closes()).as("close() calls").isEqualTo(1);
        assertThat(source.submitted()).as("requests submitted").isEqualTo(outcome.summary().requests().arrived());
        assertThat(source.ended()).as("ends the source was told of").isEqualTo(source.submitted());
    }

    @Test
    public void submitsTheSameRequestsForTheSameSeed(@TempDir Path folder) throws IOException {
        String yaml = Kits.config(5, Kits.ENGINE, Kits.CACHE, null, workloadSection());
        Outcome first = ConformanceRun.run(Files.createDirectory(folder.resolve("first")), "run", yaml);
        Outcome second = ConformanceRun.run(Files.createDirectory(folder.resolve("second")), "run", yaml);

        assertSameResults(first, second);
    }

    @Test
    public void isClosedWhenTheRunStopsAtItsHorizon(@TempDir Path folder) {
        Outcome whole = ConformanceRun.run(folder, "whole", Kits.config(3, Kits.ENGINE, Kits.CACHE, null,
                workloadSection()));
        double horizon = firstArrival(whole) / 2 + whole.summary().simulatedSeconds() / 2;
        String yaml = "horizon: " + horizon + "\n" + Kits.config(3, Kits.ENGINE, Kits.CACHE, null, workloadSection());
        Outcome cut = ConformanceRun.run(folder, "cut", yaml);

        CheckedWorkloadSource source = cut.checks().workloads().get(0);
        assertThat(source.closes()).as("close() calls").isEqualTo(1);
        assertThat(cut.summary().requests().arrived()).as("requests that arrived before the horizon")
                .isEqualTo(source.submitted())
                .isLessThanOrEqualTo(whole.summary().requests().arrived());
        assertThat(cut.records()).allSatisfy(record -> assertThat(record.request().arrivalTime())
                .isLessThanOrEqualTo(horizon));
    }

    private static double firstArrival(Outcome outcome) {
        return outcome.records().stream().mapToDouble(record -> record.request().arrivalTime()).min().orElse(0);
    }
}
