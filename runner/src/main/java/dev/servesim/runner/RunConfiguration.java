package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.config.ConfigMappers;
import java.util.List;

/**
 * A validated configuration: run settings and every component bound to its factory's record.
 *
 * @param origin where it was read from
 * @param settings run-level settings
 * @param framework the serving engine
 * @param cache the KV cache strategy
 * @param workload the workload source
 * @param sinks the metric sinks, in order
 * @param cluster number of replicas and their load reporting
 * @param router the router, or null for a single replica served without one
 * @param prefillFramework the engine of the prefill pool ({@code framework} with the pool's overrides), or null
 *     unless the cluster is disaggregated
 * @param decodeFramework the engine of the decode pool, or null unless the cluster is disaggregated
 * @param groupFrameworks the engine of each replica group of a co-located cluster ({@code framework} with the
 *     group's overrides), in the order of {@code cluster.groups}; empty without groups
 */
public record RunConfiguration(String origin, RunSettings settings, BoundComponent framework, BoundComponent cache,
        BoundComponent workload, List<BoundComponent> sinks, ClusterSettings cluster, BoundComponent router,
        BoundComponent prefillFramework, BoundComponent decodeFramework, List<BoundComponent> groupFrameworks) {

    public RunConfiguration {
        requireNonNull(origin, "origin is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(framework, "framework is null");
        requireNonNull(cache, "cache is null");
        requireNonNull(workload, "workload is null");
        sinks = List.copyOf(sinks);
        requireNonNull(cluster, "cluster is null");
        if (router == null && cluster.replicas() > 1) {
            throw new IllegalArgumentException("a cluster of " + cluster.replicas() + " replicas needs a router");
        }
        if (cluster.disaggregated() && (prefillFramework == null || decodeFramework == null)) {
            throw new IllegalArgumentException("a disaggregated cluster needs the engines of both pools");
        }
        groupFrameworks = List.copyOf(groupFrameworks);
        if (!cluster.disaggregated() && groupFrameworks.size() != cluster.groups().size()) {
            throw new IllegalArgumentException("a cluster of " + cluster.groups().size() + " groups needs "
                    + "the engine of each group, got " + groupFrameworks.size());
        }
    }

    /** A configuration without replica groups. */
    public RunConfiguration(String origin, RunSettings settings, BoundComponent framework, BoundComponent cache,
            BoundComponent workload, List<BoundComponent> sinks, ClusterSettings cluster, BoundComponent router,
            BoundComponent prefillFramework, BoundComponent decodeFramework) {
        this(origin, settings, framework, cache, workload, sinks, cluster, router, prefillFramework, decodeFramework,
                List.of());
    }

    /** A co-located configuration. */
    public RunConfiguration(String origin, RunSettings settings, BoundComponent framework, BoundComponent cache,
            BoundComponent workload, List<BoundComponent> sinks, ClusterSettings cluster, BoundComponent router) {
        this(origin, settings, framework, cache, workload, sinks, cluster, router, null, null);
    }

    /** A single-replica configuration without a router. */
    public RunConfiguration(String origin, RunSettings settings, BoundComponent framework, BoundComponent cache,
            BoundComponent workload, List<BoundComponent> sinks) {
        this(origin, settings, framework, cache, workload, sinks, ClusterSettings.SINGLE, null);
    }

    /** The engine of each replica, in replica order: its group's, its pool's, or the {@code framework} section. */
    public List<BoundComponent> replicaFrameworks() {
        List<BoundComponent> engines = new java.util.ArrayList<>(cluster.replicas());
        if (cluster.disaggregated()) {
            for (int replica = 0; replica < cluster.replicas(); replica++) {
                engines.add(replica < cluster.prefill().replicas() ? prefillFramework : decodeFramework);
            }
        } else if (groupFrameworks.isEmpty()) {
            for (int replica = 0; replica < cluster.replicas(); replica++) {
                engines.add(framework);
            }
        } else {
            for (int group = 0; group < groupFrameworks.size(); group++) {
                for (int replica = 0; replica < cluster.groups().get(group).replicas(); replica++) {
                    engines.add(groupFrameworks.get(group));
                }
            }
        }
        return engines;
    }

    /** The router, if the configuration has one. */
    public java.util.Optional<BoundComponent> routerIfAny() {
        return java.util.Optional.ofNullable(router);
    }

    /** The same configuration with one more sink at the end of the list. */
    public RunConfiguration withSink(BoundComponent sink) {
        List<BoundComponent> more = new java.util.ArrayList<>(sinks);
        more.add(sink);
        return new RunConfiguration(origin, settings, framework, cache, workload, more, cluster, router,
                prefillFramework, decodeFramework, groupFrameworks);
    }

    /** The same configuration with another seed. */
    public RunConfiguration withSeed(long seed) {
        return new RunConfiguration(origin, settings.withSeed(seed), framework, cache, workload, sinks, cluster,
                router, prefillFramework, decodeFramework, groupFrameworks);
    }

    /** Every key with its effective value, defaults included, in the configuration's own layout. */
    public ObjectNode resolvedTree() {
        ObjectNode root = ConfigMappers.json().valueToTree(settings);
        root.set(ExtensionKind.FRAMEWORK.section(), section(ExtensionKind.FRAMEWORK, framework));
        root.set(ExtensionKind.CACHE.section(), section(ExtensionKind.CACHE, cache));
        root.set(ExtensionKind.WORKLOAD.section(), section(ExtensionKind.WORKLOAD, workload));
        ArrayNode list = root.putArray(ExtensionKind.SINK.section());
        for (BoundComponent sink : sinks) {
            list.add(section(ExtensionKind.SINK, sink));
        }
        ObjectNode clusterNode = ConfigMappers.json().valueToTree(cluster);
        if (router != null) {
            clusterNode.set("router", section(ExtensionKind.ROUTER, router));
        }
        root.set("cluster", clusterNode);
        return root;
    }

    /** {@link #resolvedTree()} as YAML; reading it back gives the same configuration. */
    public String resolvedYaml() {
        try {
            return ConfigMappers.yaml().writeValueAsString(resolvedTree());
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.INVARIANT, "cannot write the resolved configuration: " + e, e);
        }
    }

    private static ObjectNode section(ExtensionKind kind, BoundComponent component) {
        ObjectNode node = ConfigMappers.json().createObjectNode();
        node.put(kind.selector(), component.name());
        JsonNode values = ConfigMappers.json().valueToTree(component.config());
        if (values instanceof ObjectNode object) {
            object.forEach(child -> pruneNulls(child));
            node.setAll(object);
        }
        return node;
    }

    /**
     * Removes absent (null) keys inside nested mappings - e.g. the parameters of a distribution that its type does
     * not use - so the resolved file stays readable; a section's own optional keys stay visible as null.
     */
    private static void pruneNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(entry -> entry.getValue().isNull());
            object.forEach(RunConfiguration::pruneNulls);
        } else if (node instanceof ArrayNode array) {
            array.forEach(RunConfiguration::pruneNulls);
        }
    }
}
