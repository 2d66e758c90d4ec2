package dev.servesim.metrics.prometheus;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Exposes the tally in the registry: every scrape takes one snapshot and writes it under servesim's names and,
 * if enabled, the engine's own (vLLM's or SGLang's), so both namings show the same numbers.
 */
final class TallyCollector implements MultiCollector {

    private final Tally tally;
    private final ServesimFamilies servesim;
    private final Optional<EngineFamilies> engine;

    /** @param engine the engine-named families, empty to leave them out */
    TallyCollector(Tally tally, ServesimFamilies servesim, Optional<EngineFamilies> engine) {
        this.tally = requireNonNull(tally, "tally is null");
        this.servesim = requireNonNull(servesim, "servesim is null");
        this.engine = requireNonNull(engine, "engine is null");
    }

    @Override
    public MetricSnapshots collect() {
        Tally.Snapshot snapshot = tally.snapshot();
        List<MetricSnapshot> families = new ArrayList<>();
        servesim.write(snapshot, families);
        engine.ifPresent(names -> names.write(snapshot, families));
        return new MetricSnapshots(families);
    }
}
