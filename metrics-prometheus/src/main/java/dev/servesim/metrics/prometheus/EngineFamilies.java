package dev.servesim.metrics.prometheus;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * The tally's figures under a serving engine's own metric names and labels ({@link VllmFamilies},
 * {@link SglangFamilies}), written beside the servesim families so that the engine's dashboards and alerts work
 * unchanged. Which one a run gets follows its {@code framework.name}: SGLang's for {@code sglang}, else vLLM's.
 */
interface EngineFamilies {

    /**
     * From now on, also labels every series with {@code run}, as the servesim-named families are: called once the
     * run's endpoint serves other runs too, since the engine's own labels would be the same for every run.
     */
    void labelRuns();

    /** Writes the families of {@code tally}; on the HTTP thread, once per scrape. */
    void write(Tally.Snapshot tally, List<MetricSnapshot> families);
}
