package dev.servesim.testing.conformance;

import static dev.servesim.testing.conformance.Kits.assertEveryRequestEnded;
import static dev.servesim.testing.conformance.Kits.assertSameResults;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.RequestRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a router, checked in front of real vLLM engine replicas: extend this class in your plugin's tests
 * and return your router's {@code cluster.router} section.
 *
 * <p>A monitor checks every call: each choice is a replica of the list offered, and the runner reports each placed
 * request's end once. The runs serve multi-turn conversations over shared prompts on four replicas and on one; every
 * request must end, the router's decisions must add up to the requests that arrived, and a second run with the same
 * seed must place every request on the same replica.
 */
public abstract class RouterConformance {

    /** For subclasses. */
    protected RouterConformance() {}

    /** The configuration's {@code cluster.router} section as a YAML mapping, e.g. {@code {name: my-router}}. */
    protected abstract String routerSection();

    @Test
    public void placesEveryRequestOnAReplicaOfTheCluster(@TempDir Path folder) {
        Outcome outcome = ConformanceRun.run(folder, "cluster", config(4, 3));

        assertEveryRequestEnded(outcome);
        long arrived = outcome.summary().requests().arrived();
        assertThat(outcome.summary().cluster().decisions()).as("decisions per replica").hasSize(4);
        assertThat(outcome.summary().cluster().decisions().stream().mapToLong(Long::longValue).sum())
                .as("decisions").isEqualTo(arrived);
        assertThat(outcome.records()).extracting(RequestRecord::replica).allSatisfy(
                replica -> assertThat(replica).isBetween(0, 3));
        assertThat(outcome.checks().routers()).as("routers created").hasSize(1);
        CheckedRouter router = outcome.checks().routers().get(0);
        assertThat(router.routes()).as("requests routed").isEqualTo(arrived);
        assertThat(router.done()).as("ends the router was told of").isEqualTo(arrived);
    }

    @Test
    public void servesAClusterOfOne(@TempDir Path folder) {
        Outcome outcome = ConformanceRun.run(folder, "one", config(1, 5));

        assertEveryRequestEnded(outcome);
        assertThat(outcome.records()).extracting(RequestRecord::replica).containsOnly(0);
    }

    @Test
    public void placesRequestsTheSameWayForTheSameSeed(@TempDir Path folder) throws IOException {
        String yaml = config(3, 9);
        Outcome first = ConformanceRun.run(Files.createDirectory(folder.resolve("first")), "run", yaml);
        Outcome second = ConformanceRun.run(Files.createDirectory(folder.resolve("second")), "run", yaml);

        assertSameResults(first, second);
    }

    private String config(int replicas, long seed) {
        return Kits.config(seed, Kits.ENGINE, Kits.CACHE, "{replicas: " + replicas + ", router: " + routerSection()
                + "}", Kits.conversations(8, 10));
    }
}
