package dev.servesim.metrics.prometheus;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.Supplier;

/**
 * One run's part of an endpoint: its families, and what the endpoint tells it.
 *
 * @param name the run's name, the value of its {@code run} label; unique among the runs of one endpoint
 * @param families collects the run's families, on an HTTP thread, once per scrape
 * @param onFailedResponse called on an HTTP thread when a response that held the run's families could not be sent
 * @param onShared called, at most once, when the endpoint starts serving other runs too: from then on the run must
 *     label every series with {@code run}, even those (vLLM's names) that a run served alone leaves without it
 */
record ServedRun(String name, Supplier<MetricSnapshots> families, Runnable onFailedResponse, Runnable onShared) {

    ServedRun {
        requireNonNull(name, "name is null");
        requireNonNull(families, "families is null");
        requireNonNull(onFailedResponse, "onFailedResponse is null");
        requireNonNull(onShared, "onShared is null");
    }
}
