package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The serving layout a configuration describes, in one value: the {@code cluster} settings, the router, and the
 * framework of every replica with its group's or pool's overrides applied ({@code framework} merged with
 * {@code cluster.groups[i].framework}, {@code cluster.prefill.framework} or {@code cluster.decode.framework}).
 *
 * @param cluster replicas, pools or groups, load reporting, KV transfer and network
 * @param router the router, or null for a single replica served without one
 * @param replicaFrameworks the engine of each replica, in replica order
 */
public record DeploymentSpec(ClusterSettings cluster, BoundComponent router, List<BoundComponent> replicaFrameworks) {

    public DeploymentSpec {
        requireNonNull(cluster, "cluster is null");
        replicaFrameworks = List.copyOf(replicaFrameworks);
        if (router == null && cluster.replicas() > 1) {
            throw new IllegalArgumentException("a cluster of " + cluster.replicas() + " replicas needs a router");
        }
        if (replicaFrameworks.size() != cluster.replicas()) {
            throw new IllegalArgumentException("a cluster of " + cluster.replicas() + " replicas needs the engine of "
                    + "each, got " + replicaFrameworks.size());
        }
    }

    /** One replica of {@code framework}, without a router. */
    public static DeploymentSpec single(BoundComponent framework) {
        return new DeploymentSpec(ClusterSettings.SINGLE, null, List.of(framework));
    }
}
