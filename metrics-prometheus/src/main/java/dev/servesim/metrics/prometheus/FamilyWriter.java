package dev.servesim.metrics.prometheus;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one {@link Tally.Snapshot} into metric families of one naming, one data point per engine replica. Runs on
 * the HTTP thread, once per scrape.
 */
final class FamilyWriter {

    /** A figure of one replica, derived from its counted quantities. */
    @FunctionalInterface
    interface ReplicaFigure {
        double of(Tally.Snapshot tally, int replica);
    }

    private final Tally.Snapshot tally;
    private final Labels[] replicaLabels;
    private final List<MetricSnapshot> families;

    /**
     * @param replicaLabels labels of each replica's data points, at least {@code tally.replicas()} of them
     * @param families where the families go
     */
    FamilyWriter(Tally.Snapshot tally, Labels[] replicaLabels, List<MetricSnapshot> families) {
        this.tally = tally;
        this.replicaLabels = replicaLabels;
        this.families = families;
    }

    /** A counter; {@code name} without the {@code _total} suffix, which the exposition adds. */
    void counter(String name, String help, Quantity quantity) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        for (int replica = 0; replica < tally.replicas(); replica++) {
            family.dataPoint(CounterDataPointSnapshot.builder().value(tally.get(replica, quantity))
                    .labels(replicaLabels[replica]).build());
        }
        families.add(family.build());
    }

    /**
     * A counter with one more label: value {@code labelValues[i]} counts {@code quantities[i]}, or stays 0 where that
     * is {@code null}.
     */
    void counter(String name, String help, String labelName, String[] labelValues, Quantity[] quantities) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        for (int replica = 0; replica < tally.replicas(); replica++) {
            for (int i = 0; i < labelValues.length; i++) {
                long value = quantities[i] == null ? 0 : tally.get(replica, quantities[i]);
                family.dataPoint(CounterDataPointSnapshot.builder().value(value)
                        .labels(replicaLabels[replica].add(labelName, labelValues[i])).build());
            }
        }
        families.add(family.build());
    }

    void gauge(String name, String help, ReplicaFigure figure) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        for (int replica = 0; replica < tally.replicas(); replica++) {
            family.dataPoint(GaugeDataPointSnapshot.builder().value(figure.of(tally, replica))
                    .labels(replicaLabels[replica]).build());
        }
        families.add(family.build());
    }

    void gauge(String name, String help, Quantity quantity) {
        gauge(name, help, (snapshot, replica) -> snapshot.get(replica, quantity));
    }

    void histogram(String name, String help, Distribution distribution) {
        double[] finite = tally.upperBounds(distribution);
        double[] bounds = Arrays.copyOf(finite, finite.length + 1);
        bounds[finite.length] = Double.POSITIVE_INFINITY;
        HistogramSnapshot.Builder family = HistogramSnapshot.builder().name(name).help(help);
        for (int replica = 0; replica < tally.replicas(); replica++) {
            family.dataPoint(HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds,
                            tally.bucketCounts(replica, distribution)))
                    .sum(tally.sum(replica, distribution))
                    .labels(replicaLabels[replica]).build());
        }
        families.add(family.build());
    }

    /**
     * The labels of each replica's data points in an engine's naming: {@code model_name}, the engine's replica
     * label with the replica index, and {@code run} if {@code withRun}.
     */
    static Labels[] engineLabels(int replicas, RunLabels labels, String replicaLabel, boolean withRun) {
        Labels[] replicaLabels = new Labels[replicas];
        for (int replica = 0; replica < replicas; replica++) {
            replicaLabels[replica] = withRun
                    ? Labels.of("model_name", labels.modelName(), replicaLabel, Integer.toString(replica), "run",
                            labels.run())
                    : Labels.of("model_name", labels.modelName(), replicaLabel, Integer.toString(replica));
        }
        return replicaLabels;
    }

    /** Fraction of usable KV blocks referenced by requests, 0 when the engine models no KV memory. */
    static double kvUsage(Tally.Snapshot tally, int replica) {
        long total = tally.get(replica, Quantity.KV_BLOCKS_TOTAL);
        return total == 0 ? 0 : (double) tally.get(replica, Quantity.KV_BLOCKS_USED) / total;
    }
}
