package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run produced.
 *
 * @param summary the run's summary
 * @param outputDirectory where its files are
 * @param files the files written, relative to the output directory, in order
 * @param eventsProcessed simulation events run
 * @param curves latency quantiles of measured requests, for plots
 */
public record RunResult(RunSummary summary, Path outputDirectory, List<String> files, long eventsProcessed,
        List<LatencyCurve> curves) {

    public RunResult {
        requireNonNull(summary, "summary is null");
        requireNonNull(outputDirectory, "outputDirectory is null");
        files = List.copyOf(files);
        curves = List.copyOf(curves);
    }
}
