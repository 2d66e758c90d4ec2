package dev.servesim.metrics.prometheus;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * The tally's figures under a serving engine's own metric names and labels ({@link VllmFamilies},
 * {@link SglangFamilies}), written beside the servesim families so that the engine's dashboards and alerts work
 * unchanged. Which one a run gets follows its {@code framework.name}: SGLang's for {@code sglang}, else vLLM's. Each
 * series is labelled with the model's name and the replica's number under the engine's own label name.
 */
abstract class EngineFamilies {

    final RunLabels labels;
    private final String replicaLabel;
    // set, once, when the run's endpoint serves other runs too: the engine's families have no run label of their own
    private volatile boolean withRun;

    /** @param replicaLabel the label naming the replica, as the engine names its own ({@code engine}, {@code dp_rank}) */
    EngineFamilies(RunLabels labels, String replicaLabel) {
        this.labels = labels;
        this.replicaLabel = replicaLabel;
    }

    /**
     * From now on, also labels every series with {@code run}, as the servesim-named families are: called once the
     * run's endpoint serves other runs too, since the engine's own labels would be the same for every run.
     */
    final void labelRuns() {
        withRun = true;
    }

    /** Writes the families of {@code tally}; on the HTTP thread, once per scrape. */
    final void write(Tally.Snapshot tally, List<MetricSnapshot> families) {
        write(new FamilyWriter(tally, FamilyWriter.engineLabels(tally.replicas(), labels, replicaLabel, withRun),
                families));
    }

    /** Writes every family with {@code out}, whose series carry the replicas' labels. */
    abstract void write(FamilyWriter out);
}
