package dev.servesim.testing.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the monitors of one run saw: the first contract violation, and the monitors themselves so that a kit can
 * check end-of-run obligations (every block released, every request ended) once the run is over.
 */
final class Checks {

    private String firstViolation;
    private final List<CheckedKvCacheStrategy> caches = new ArrayList<>();
    private final List<CheckedRouter> routers = new ArrayList<>();
    private final List<CheckedWorkloadSource> workloads = new ArrayList<>();
    private final List<CheckedMetricSink> sinks = new ArrayList<>();
    private final List<CheckedEngine> engines = new ArrayList<>();

    /** Records a violation (the first one is kept) and throws it, so the run stops at the call that broke the rule. */
    ContractViolation fail(String message) {
        if (firstViolation == null) {
            firstViolation = message;
        }
        throw new ContractViolation(message);
    }

    Optional<String> firstViolation() {
        return Optional.ofNullable(firstViolation);
    }

    CheckedKvCacheStrategy add(CheckedKvCacheStrategy cache) {
        caches.add(cache);
        return cache;
    }

    CheckedRouter add(CheckedRouter router) {
        routers.add(router);
        return router;
    }

    CheckedWorkloadSource add(CheckedWorkloadSource workload) {
        workloads.add(workload);
        return workload;
    }

    CheckedMetricSink add(CheckedMetricSink sink) {
        sinks.add(sink);
        return sink;
    }

    CheckedEngine add(CheckedEngine engine) {
        engines.add(engine);
        return engine;
    }

    List<CheckedKvCacheStrategy> caches() {
        return List.copyOf(caches);
    }

    List<CheckedRouter> routers() {
        return List.copyOf(routers);
    }

    List<CheckedWorkloadSource> workloads() {
        return List.copyOf(workloads);
    }

    List<CheckedMetricSink> sinks() {
        return List.copyOf(sinks);
    }

    List<CheckedEngine> engines() {
        return List.copyOf(engines);
    }
}
