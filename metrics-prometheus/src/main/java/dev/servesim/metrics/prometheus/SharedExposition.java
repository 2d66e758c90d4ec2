package dev.servesim.metrics.prometheus;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one endpoint serves: the families of every run attached to it, in the order the runs attached. Families of
 * the same name from several runs are merged into one family (one {@code # HELP} and {@code # TYPE}, as the text
 * format requires), whose series the runs' {@code run} labels tell apart.
 *
 * <p>The runs are an immutable list replaced on every attach and detach, so a scrape, on an HTTP thread, renders
 * the runs attached when it started without taking a lock.
 */
final class SharedExposition implements MetricsEndpoint.Exposition {

    /** Builds a family like {@code first} from data points of its type. */
    @FunctionalInterface
    private interface Merger {
        MetricSnapshot merge(MetricSnapshot first, List<DataPointSnapshot> points);
    }

    // one entry per snapshot type of the Prometheus model; looked up, never iterated
    private static final Map<Class<? extends MetricSnapshot>, Merger> MERGERS = Map.of(
            CounterSnapshot.class, (first, points) -> new CounterSnapshot(first.getMetadata(),
                    SharedExposition.<CounterDataPointSnapshot>typed(points)),
            GaugeSnapshot.class, (first, points) -> new GaugeSnapshot(first.getMetadata(),
                    SharedExposition.<GaugeDataPointSnapshot>typed(points)),
            HistogramSnapshot.class, (first, points) -> new HistogramSnapshot(gaugeHistogram(first),
                    first.getMetadata(), SharedExposition.<HistogramDataPointSnapshot>typed(points)),
            SummarySnapshot.class, (first, points) -> new SummarySnapshot(first.getMetadata(),
                    SharedExposition.<SummaryDataPointSnapshot>typed(points)),
            InfoSnapshot.class, (first, points) -> new InfoSnapshot(first.getMetadata(),
                    SharedExposition.<InfoDataPointSnapshot>typed(points)),
            StateSetSnapshot.class, (first, points) -> new StateSetSnapshot(first.getMetadata(),
                    SharedExposition.<StateSetDataPointSnapshot>typed(points)),
            UnknownSnapshot.class, (first, points) -> new UnknownSnapshot(first.getMetadata(),
                    SharedExposition.<UnknownDataPointSnapshot>typed(points)));

    // the 0.0.4 text format, without _created samples, as Micrometer's PrometheusMeterRegistry.scrape() writes it
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile List<ServedRun> runs = List.of();

    /** Replaces the runs; called by {@link SharedEndpoints} with its lock held. */
    void runs(List<ServedRun> attached) {
        runs = List.copyOf(attached);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        List<ServedRun> served = runs;
        List<MetricSnapshots> families = new ArrayList<>(served.size());
        for (ServedRun run : served) {
            families.add(run.families().get());
        }
        writer.write(out, merge(families));
    }

    /** Tells every run whose families a failed response held. */
    void failedResponse() {
        for (ServedRun run : runs) {
            run.onFailedResponse().run();
        }
    }

    /**
     * The families of several runs as one exposition: same-named families become one, with the data points of each
     * run in run order and the metadata (help, unit) of the first run that has the family.
     *
     * @throws IllegalStateException if two runs give the same name to families of different types
     * @throws IllegalArgumentException if two runs have a series with the same labels (runs of the same name)
     */
    static MetricSnapshots merge(List<MetricSnapshots> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        Map<String, List<MetricSnapshot>> byName = new LinkedHashMap<>();
        for (MetricSnapshots run : runs) {
            for (MetricSnapshot family : run) {
                byName.computeIfAbsent(family.getMetadata().getPrometheusName(), name -> new ArrayList<>())
                        .add(family);
            }
        }
        List<MetricSnapshot> merged = new ArrayList<>(byName.size());
        for (List<MetricSnapshot> same : byName.values()) {
            merged.add(same.size() == 1 ? same.get(0) : mergeFamily(same));
        }
        return new MetricSnapshots(merged);
    }

    private static MetricSnapshot mergeFamily(List<MetricSnapshot> same) {
        MetricSnapshot first = same.get(0);
        String name = first.getMetadata().getPrometheusName();
        List<DataPointSnapshot> points = new ArrayList<>();
        for (MetricSnapshot family : same) {
            if (family.getClass() != first.getClass() || gaugeHistogram(family) != gaugeHistogram(first)) {
                throw new IllegalStateException("metric family " + name + " has different types in the runs served "
                        + "together");
            }
            points.addAll(family.getDataPoints());
        }
        Merger merger = MERGERS.get(first.getClass());
        if (merger == null) {
            throw new IllegalStateException("metric family " + name + " is of a type the endpoint cannot merge: "
                    + first.getClass().getSimpleName());
        }
        return merger.merge(first, points);
    }

    private static boolean gaugeHistogram(MetricSnapshot family) {
        return family instanceof HistogramSnapshot histogram && histogram.isGaugeHistogram();
    }

    // the points all come from families of one class, whose data points are of one type
    @SuppressWarnings("unchecked")
    private static <P extends DataPointSnapshot> List<P> typed(List<DataPointSnapshot> points) {
        return (List<P>) (List<?>) points;
    }
}
