package dev.servesim.report;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Everything {@code report.html} shows for one run.
 *
 * @param title the page title, usually the run name
 * @param subtitle a line under the title (model, hardware, workload); may be empty
 * @param summaryJson the text of the run's {@code summary.json}, embedded as is; the page shows its headline figures
 *     ({@code requests.{arrived,completed,rejected,unfinished}}, {@code latency_ms.{ttft,tpot,e2e}.{p50,p99}},
 *     {@code throughput.{requests_per_s,output_tokens_per_s}}) and a dash for each one that is missing
 * @param configYaml the effective configuration, shown verbatim
 * @param series the lines of the time charts, in legend order; copied
 * @param distributions the latency distributions, in legend order; copied
 */
public record RunReport(
        String title,
        String subtitle,
        String summaryJson,
        String configYaml,
        List<Series> series,
        List<Distribution> distributions) {
    public RunReport {
        requireNonNull(title, "title is null");
        requireNonNull(subtitle, "subtitle is null");
        requireNonNull(summaryJson, "summaryJson is null");
        requireNonNull(configYaml, "configYaml is null");
        series = List.copyOf(requireNonNull(series, "series is null"));
        distributions = List.copyOf(requireNonNull(distributions, "distributions is null"));
    }
}
