package dev.servesim.testing.conformance;

import static dev.servesim.testing.conformance.Kits.assertEveryRequestEnded;
import static dev.servesim.testing.conformance.Kits.assertSameResults;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a serving engine, checked in real runs with the {@code block-hash} cache strategy and a synthetic
 * workload: extend this class in your plugin's tests and return your engine's {@code framework} section.
 *
 * <p>Monitors check every call: each lifecycle event comes at the current simulated time, for a request submitted to
 * this engine, in order (queued, scheduled, prefill chunks and tokens, preempted back to waiting, finished or
 * rejected exactly once), with no more output tokens than the request asked for; steps are sane and in time order;
 * an engine that uses the KV cache strategy follows its protocol and releases every block. Every request must end,
 * completed requests must have their timestamps in order, and a second run with the same seed must give the same
 * results, on one replica and on two.
 */
public abstract class ServingEngineConformance {

    /** For subclasses. */
    protected ServingEngineConformance() {}

    /** The configuration's {@code framework} section as a YAML mapping, e.g. {@code {name: my-engine}}. */
    protected abstract String frameworkSection();

    @Test
    public void reportsEveryRequestsLifecycleInOrder(@TempDir Path folder) {
        Outcome outcome = ConformanceRun.run(folder, "run", Kits.config(1, frameworkSection(), Kits.CACHE, null,
                Kits.conversations(4, 10)));

        assertEveryRequestEnded(outcome);
        assertThat(outcome.checks().engines()).as("engines created").hasSize(1);
        assertThat(outcome.records()).filteredOn(record -> record.status() == RequestStatus.COMPLETED)
                .isNotEmpty()
                .allSatisfy(ServingEngineConformance::assertTimesInOrder);
    }

    @Test
    public void servesTwoReplicasIndependently(@TempDir Path folder) {
        Outcome outcome = ConformanceRun.run(folder, "cluster", Kits.config(2, frameworkSection(), Kits.CACHE,
                "{replicas: 2, router: {name: round-robin}}", Kits.conversations(6, 10)));

        assertEveryRequestEnded(outcome);
        assertThat(outcome.checks().engines()).as("engines created").hasSize(2);
        assertThat(outcome.records()).extracting(RequestRecord::replica).containsOnly(0, 1);
    }

    @Test
    public void givesTheSameResultsForTheSameSeed(@TempDir Path folder) throws IOException {
        String yaml = Kits.config(3, frameworkSection(), Kits.CACHE, null, Kits.conversations(4, 10));
        Outcome first = ConformanceRun.run(Files.createDirectory(folder.resolve("first")), "run", yaml);
        Outcome second = ConformanceRun.run(Files.createDirectory(folder.resolve("second")), "run", yaml);

        assertSameResults(first, second);
    }

    private static void assertTimesInOrder(RequestRecord record) {
        double arrival = record.request().arrivalTime();
        assertThat(record.queuedTime()).as("request %d queued", record.request().id()).isGreaterThanOrEqualTo(arrival);
        assertThat(record.scheduledTime()).as("request %d scheduled", record.request().id())
                .isGreaterThanOrEqualTo(record.queuedTime());
        assertThat(record.firstTokenTime()).as("request %d first token", record.request().id())
                .isGreaterThan(record.scheduledTime());
        assertThat(record.finishTime()).as("request %d finished", record.request().id())
                .isGreaterThanOrEqualTo(record.firstTokenTime());
        assertThat(record.outputTokens()).as("request %d output tokens", record.request().id())
                .isBetween(1, record.request().maxOutputTokens());
    }
}
