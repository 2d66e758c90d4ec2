package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.config.ConfigMappers;
import java.util.ArrayList;
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
 * @param deployment the serving layout: cluster settings, router and each replica's engine
 */
public record RunConfiguration(String origin, RunSettings settings, BoundComponent framework, BoundComponent cache,
        BoundComponent workload, List<BoundComponent> sinks, DeploymentSpec deployment) {

    public RunConfiguration {
        requireNonNull(origin, "origin is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(framework, "framework is null");
        requireNonNull(cache, "cache is null");
        requireNonNull(workload, "workload is null");
        sinks = List.copyOf(sinks);
        requireNonNull(deployment, "deployment is null");
    }

    /** A single-replica configuration without a router. */
    public RunConfiguration(String origin, RunSettings settings, BoundComponent framework, BoundComponent cache,
            BoundComponent workload, List<BoundComponent> sinks) {
        this(origin, settings, framework, cache, workload, sinks, DeploymentSpec.single(framework));
    }

    /** The {@code cluster} settings. */
    public ClusterSettings cluster() {
        return deployment.cluster();
    }

    /** The router, or null for a single replica served without one. */
    public BoundComponent router() {
        return deployment.router();
    }

    /** The engine of each replica, in replica order: its group's, its pool's, or the {@code framework} section. */
    public List<BoundComponent> replicaFrameworks() {
        return deployment.replicaFrameworks();
    }

    /** The same configuration with one more sink at the end of the list. */
    public RunConfiguration withSink(BoundComponent sink) {
        List<BoundComponent> more = new ArrayList<>(sinks);
        more.add(sink);
        return new RunConfiguration(origin, settings, framework, cache, workload, more, deployment);
    }

    /** The same configuration with another seed. */
    public RunConfiguration withSeed(long seed) {
        return new RunConfiguration(origin, settings.withSeed(seed), framework, cache, workload, sinks, deployment);
    }

    /** The same run under another name (what its outputs and live metrics call it). */
    public RunConfiguration withName(String name) {
        return new RunConfiguration(origin, settings.withName(name), framework, cache, workload, sinks, deployment);
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
        ObjectNode clusterNode = ConfigMappers.json().valueToTree(cluster());
        if (router() != null) {
            clusterNode.set("router", section(ExtensionKind.ROUTER, router()));
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
